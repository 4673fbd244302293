/** Prints a valid local admin JWT: `npm run -s admin:token`. */
import { resolve } from 'node:path';
import { mintToken } from './auth.js';

const dataDir = resolve(process.env.LOCAL_DATA_DIR ?? '.data');
const hours = Number(process.env.TOKEN_HOURS ?? 12);
process.stdout.write(`${await mintToken(dataDir, { expiresInSeconds: hours * 3600 })}\n`);
