/** The access guards' thread (see `access-thread.ts`): bundled, and run as a worker by the local stack. */
import { workerData } from 'node:worker_threads';
import { runAccessThread, type ThreadConfig } from './access-thread';

void runAccessThread(workerData as ThreadConfig);
