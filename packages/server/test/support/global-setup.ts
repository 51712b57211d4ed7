import { ensurePgliteTemplate } from './pglite-template.js';

export default async function setup() {
  process.env.SERVER_TEST_PGLITE_TEMPLATE = await ensurePgliteTemplate();
}
