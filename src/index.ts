import { Hono } from 'hono';
import type { AppEnv } from './env';
import { databaseMiddleware } from './db/database';
import { handleError, handleNotFound } from './http/problem';
import { healthRoutes } from './health/health.routes';
import { adminRoutes } from './admin/admin.routes';
import { imageRoutes } from './images/images.routes';

export const app = new Hono<AppEnv>()
  .use('*', databaseMiddleware)
  .route('/v1', healthRoutes)
  .route('/v1', imageRoutes)
  .route('/v1/admin', adminRoutes);

app.onError(handleError);
app.notFound(handleNotFound);

export default app;
