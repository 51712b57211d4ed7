// `@app/async-tasks/supabase`: live updates from Supabase Realtime; supabase-js is an optional peer.
export { createSupabaseTransport, type SupabaseTransportOptions } from './supabase-transport.js';
