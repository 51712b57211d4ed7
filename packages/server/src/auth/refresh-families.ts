import type { ServerDatabase } from '../db/types.js';

/**
 * How long after a rotation the token it retired still answers the same new pair: two tabs of
 * one visitor refreshing at the same moment both get the pair the first one made. Long enough
 * for the second of two concurrent requests (and a retry after a dropped answer) to arrive;
 * short, because within it a copied token is not told from the visitor's own second tab.
 */
export const REFRESH_GRACE_SECONDS = 10;

/** What a refresh with one token of a family does (`refresh_family_rotate`, 20261201000900_refresh_tokens.sql). */
export type Rotation = { outcome: 'rotated' | 'repeated'; token: string; issuedAt: number } | { outcome: 'reused' | 'refused' };

export interface FamilyToken {
  family: string;
  userId: string;
  token: string;
  /** Unix seconds the token's pair is signed at. */
  issuedAt: number;
  expiresAt: Date;
}

/** Refresh-token families, shared by every instance through the database. */
export interface RefreshFamilies {
  start(first: FamilyToken): Promise<void>;
  /** One refresh with `token`; `next` becomes current when `token` is. */
  rotate(given: { family: string; userId: string; token: string }, next: Omit<FamilyToken, 'family' | 'userId'>): Promise<Rotation>;
}

/**
 * The families in `app_internal.refresh_families`, through the service-role functions. Each
 * call locks its family's row, so concurrent refreshes reaching different instances are decided
 * one after the other.
 *
 * @example
 * const families = createDatabaseRefreshFamilies(db);
 */
export function createDatabaseRefreshFamilies(db: ServerDatabase, graceSeconds = REFRESH_GRACE_SECONDS): RefreshFamilies {
  return {
    async start({ family, userId, token, issuedAt, expiresAt }) {
      await db.asService((tx) =>
        tx.query('select public.refresh_family_start($1::uuid, $2::uuid, $3::uuid, $4::bigint, $5::timestamptz)', [
          family,
          userId,
          token,
          issuedAt,
          expiresAt.toISOString(),
        ]),
      );
    },
    async rotate({ family, userId, token }, next) {
      const { rows } = await db.asService((tx) =>
        tx.query<{ r: { outcome: Rotation['outcome']; token?: string; issued_at?: number } }>(
          'select public.refresh_family_rotate($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5::bigint, $6::timestamptz, $7::int) as r',
          [family, userId, token, next.token, next.issuedAt, next.expiresAt.toISOString(), graceSeconds],
        ),
      );
      const r = rows[0]!.r;
      return r.outcome === 'rotated' || r.outcome === 'repeated'
        ? { outcome: r.outcome, token: r.token!, issuedAt: Number(r.issued_at) }
        : { outcome: r.outcome };
    },
  };
}
