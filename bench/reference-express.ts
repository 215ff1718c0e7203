import type { AddressInfo } from 'node:net';
import express from 'express';
import { reportListening } from './child-entry';
import { REFERENCE_ANSWER } from './reference-answer';

/**
 * A reference point, not a proxy: the smallest Express 5 app that reads a JSON body and answers
 * a fixed JSON, calling nothing. What the framework costs before any gateway work. Child entry.
 */
const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.use(express.json());
app.post('/v1/chat/completions', (_req, res) => {
  res.json(REFERENCE_ANSWER);
});
const server = app.listen(0, '127.0.0.1', () => {
  reportListening((server.address() as AddressInfo).port);
});
