// The attachment settings: what a visitor may upload, and where the files are kept.

type Env = Record<string, string | undefined>;

/** The readers of config.ts, passed in so this file does not import it (config.ts imports this one). */
export interface ConfigReaders {
  text(env: Env, name: string): string | null;
  integer(env: Env, name: string, fallback: number, min: number, max: number): number;
  boolean(env: Env, name: string, fallback: boolean): boolean;
  url(env: Env, name: string, fallback: string | null): string | null;
  fail(name: string, message: string): never;
}

export interface S3Settings {
  bucket: string;
  region: string;
  /** An S3-compatible endpoint (R2, MinIO, Supabase Storage); null: AWS S3 of the region. */
  endpoint: string | null;
  /** null: the SDK's default credential chain (environment, instance role…). */
  credentials: { accessKeyId: string; secretAccessKey: string } | null;
  forcePathStyle: boolean;
  /** Every object key starts with it. */
  keyPrefix: string;
}

export interface UploadConfig {
  enabled: boolean;
  maxFileBytes: number;
  maxFilesPerMessage: number;
  /** Bytes one visitor may upload per UTC day, over every instance (0 = no limit). */
  maxBytesPerVisitorPerDay: number;
  /** Media types accepted, decided from the content. */
  allowedTypes: string[];
  /** Width × height an image may have; larger ones are refused before they are decoded. */
  maxImagePixels: number;
  /** An upload never attached to a message is deleted after this. */
  unattachedTtlSeconds: number;
  /** How long a read URL handed to a visitor (or a workflow) stays valid. */
  urlTtlSeconds: number;
  /** The characters of a text or PDF file's text given to the model. */
  textMaxChars: number;
  storage: 'database' | 's3';
  s3: S3Settings | null;
  /** Whether the configured model reads images (image_url parts); false: a reply to a message with an image fails clearly. */
  modelTakesImages: boolean;
}

/** The types accepted unless UPLOAD_ALLOWED_TYPES says otherwise: common images, PDF, plain text. */
export const DEFAULT_ALLOWED_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain'];

/** Every type the server can check; SVG only ever as a download. */
export const CHECKABLE_TYPES = [...DEFAULT_ALLOWED_TYPES, 'image/svg+xml'];

export function loadUploadConfig(env: Env, read: ConfigReaders): UploadConfig {
  const typesRaw = read.text(env, 'UPLOAD_ALLOWED_TYPES');
  const allowedTypes =
    typesRaw === null
      ? DEFAULT_ALLOWED_TYPES
      : typesRaw
          .split(',')
          .map((t) => t.trim().toLowerCase())
          .filter(Boolean);
  for (const type of allowedTypes) {
    if (!CHECKABLE_TYPES.includes(type)) {
      read.fail('UPLOAD_ALLOWED_TYPES', `"${type}" is not a type the server can check; choose from ${CHECKABLE_TYPES.join(', ')}`);
    }
  }
  const storage = (read.text(env, 'UPLOAD_STORAGE') ?? 'database').toLowerCase();
  if (storage !== 'database' && storage !== 's3') read.fail('UPLOAD_STORAGE', `expected database or s3, got "${storage}"`);

  // Read unconditionally, so every setting is read whatever the storage.
  const bucket = read.text(env, 'S3_BUCKET');
  const region = read.text(env, 'S3_REGION') ?? 'us-east-1';
  const endpoint = read.url(env, 'S3_ENDPOINT', null);
  const accessKeyId = read.text(env, 'S3_ACCESS_KEY_ID');
  const secretAccessKey = read.text(env, 'S3_SECRET_ACCESS_KEY');
  const forcePathStyle = read.boolean(env, 'S3_FORCE_PATH_STYLE', false);
  const keyPrefix = read.text(env, 'S3_KEY_PREFIX') ?? 'uploads/';
  if (!/^[A-Za-z0-9!_.*'()/-]{0,200}$/.test(keyPrefix)) read.fail('S3_KEY_PREFIX', "letters, digits and !_.*'()/- only");
  if ((accessKeyId === null) !== (secretAccessKey === null)) {
    read.fail(
      accessKeyId === null ? 'S3_ACCESS_KEY_ID' : 'S3_SECRET_ACCESS_KEY',
      'set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither',
    );
  }
  if (storage === 's3' && bucket === null) read.fail('S3_BUCKET', 'is required when UPLOAD_STORAGE=s3');

  return {
    enabled: read.boolean(env, 'UPLOADS_ENABLED', true),
    maxFileBytes: read.integer(env, 'UPLOAD_MAX_FILE_BYTES', 10 * 1024 * 1024, 1, 100 * 1024 * 1024),
    maxFilesPerMessage: read.integer(env, 'UPLOAD_MAX_FILES_PER_MESSAGE', 4, 1, 20),
    maxBytesPerVisitorPerDay: read.integer(env, 'UPLOAD_MAX_BYTES_PER_VISITOR_PER_DAY', 50 * 1024 * 1024, 0, 100 * 1024 * 1024 * 1024),
    allowedTypes,
    maxImagePixels: read.integer(env, 'UPLOAD_MAX_IMAGE_PIXELS', 40_000_000, 1, 1_000_000_000),
    unattachedTtlSeconds: read.integer(env, 'UPLOAD_UNATTACHED_TTL_SECONDS', 3600, 1, 604_800),
    urlTtlSeconds: read.integer(env, 'UPLOAD_URL_TTL_SECONDS', 900, 10, 86_400),
    textMaxChars: read.integer(env, 'UPLOAD_TEXT_MAX_CHARS', 8000, 0, 90_000),
    storage: storage as UploadConfig['storage'],
    modelTakesImages: read.boolean(env, 'LLM_ACCEPTS_IMAGES', true),
    s3:
      bucket === null
        ? null
        : {
            bucket,
            region,
            endpoint,
            credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : null,
            forcePathStyle,
            keyPrefix,
          },
  };
}
