/** Read-only HSDS 3.0 API under /hsds (to be written). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PrismaClient } from '../../../generated/prisma/client.ts';
import { sendJson } from '../../../http/body.ts';

export async function handleHsds(
  _req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  _prisma: PrismaClient,
): Promise<void> {
  await Promise.resolve();
  sendJson(res, 404, { error: `Nothing at ${url.pathname}.` });
}
