import type { NextConfig } from 'next';

const config: NextConfig = {
  // Nothing leaves the machine while building or serving: no telemetry (see the scripts), no
  // font downloads (the example uses the system font stack), no image optimisation service.
  images: { unoptimized: true },
  // The monorepo root is two levels up: tell Next so it does not guess from lockfiles.
  outputFileTracingRoot: new URL('../..', import.meta.url).pathname,
};

export default config;
