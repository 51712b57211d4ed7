export { createSupabaseTransport, type SupabaseTransportOptions } from './supabase-transport.js';
