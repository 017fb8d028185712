// Everything under /v1/admin needs the admin token; hidden from the public OpenAPI document.
import { Hono } from 'hono';
import type { AppEnv } from '../env';
import { ingestRoutes } from '../ingest/ingest.routes';
import { tokenRoutes } from '../tokens/tokens.routes';
import { requireAdmin } from './require-admin';

export const adminRoutes = new Hono<AppEnv>().use('*', requireAdmin).route('/', ingestRoutes).route('/', tokenRoutes);
