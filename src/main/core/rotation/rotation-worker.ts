// A helper thread for key rotation: re-encrypts the pages main hands it (decrypt with
// whichever key the letter names, encrypt with the new current key). It touches no
// database and lives only while one rotation runs. See rotation-helper.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { VersionedCipher } from '../crypto/cipher';
import { reencryptAll } from './reencrypt';
import type { HelperData, HelperRequest, HelperResponse } from './rotation-helper';

const data = workerData as HelperData;
const toKey = (k: { version: string; key: Uint8Array }) => ({ version: k.version, key: Buffer.from(k.key) });
const cipher = new VersionedCipher(toKey(data.current), data.others.map(toKey));

parentPort!.on('message', (m: HelperRequest) => {
  parentPort!.postMessage({ id: m.id, results: reencryptAll(cipher, m.page) } satisfies HelperResponse);
});
