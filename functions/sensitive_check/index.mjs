// Sensitive-model check runner (Node.js 20 Lambda).
// Event: {program, args: [model, uploader, downloader], zip: {bucket, key}, timeout_ms}
// Answer: {exit_code, stdout, stderr, timed_out, duration_ms}
// The uploader's program runs as a child `node` with an empty environment (this function's
// AWS credentials live in its env), the permission model confining fs to a fresh /tmp scratch
// directory and forbidding child processes/workers/addons, guard.cjs stubbing the network, a
// heap cap, and a wall-clock limit that kills the child's whole process group.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';

const OUTPUT_CAP = 4 * 1024;
const MAX_TIMEOUT_MS = 60_000;
const HEAP_MB = Number(process.env.SENSITIVE_CHECK_HEAP_MB || 128);
const HERE = dirname(fileURLToPath(import.meta.url));
let s3 = null;

async function fetchZip(zip, dest) {
  // Imported lazily (the runtime bundles SDK v3) so runChild can be tested without it.
  const { GetObjectCommand, S3Client } = await import('@aws-sdk/client-s3');
  s3 ??= new S3Client({});
  const got = await s3.send(new GetObjectCommand({ Bucket: zip.bucket, Key: zip.key }));
  await pipeline(got.Body, createWriteStream(dest));
}

function capped() {
  const chunks = [];
  let size = 0;
  let cut = false;
  return {
    add(chunk) {
      // Keep draining past the cap so a chatty child never blocks on a full pipe.
      const room = OUTPUT_CAP - size;
      if (chunk.length > room) cut = true;
      if (room > 0) {
        chunks.push(chunk.subarray(0, room));
        size += Math.min(room, chunk.length);
      }
    },
    text() {
      const body = Buffer.concat(chunks).toString('utf8');
      return cut ? `${body}\n[output truncated]` : body;
    },
  };
}

export function runChild(scratch, args, timeoutMs) {
  const argv = [
    '--experimental-permission',
    `--allow-fs-read=${scratch}`,
    `--allow-fs-write=${scratch}`,
    `--max-old-space-size=${HEAP_MB}`,
    '--no-warnings',
    '--require', join(scratch, 'guard.cjs'),
    join(scratch, 'check.js'),
    ...args,
  ];
  return new Promise((resolve) => {
    const out = capped();
    const err = capped();
    const child = spawn(process.execPath, argv, {
      cwd: scratch,
      env: { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: scratch },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // own process group, so the timeout can kill everything it started
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
    }, timeoutMs);
    child.stdout.on('data', (c) => out.add(c));
    child.stderr.on('data', (c) => err.add(c));
    child.on('error', (e) => err.add(Buffer.from(String(e))));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const exitCode = timedOut ? null : (code ?? (signal ? -1 : null));
      resolve({ exit_code: exitCode, stdout: out.text(), stderr: err.text(), timed_out: timedOut });
    });
  });
}

export async function handler(event) {
  const started = Date.now();
  const args = Array.isArray(event?.args) ? event.args.map(String) : [];
  if (typeof event?.program !== 'string' || args.length !== 3 || !event?.zip?.key) {
    throw new Error('bad event: need program, three args and zip {bucket, key}');
  }
  const timeoutMs = Math.min(Number(event.timeout_ms) || 5000, MAX_TIMEOUT_MS);
  const scratch = await mkdtemp(join(tmpdir(), 'sensitive-check-'));
  try {
    const zipPath = join(scratch, 'model.zip');
    await fetchZip(event.zip, zipPath);
    await writeFile(join(scratch, 'check.js'), event.program, 'utf8');
    await copyFile(join(HERE, 'guard.cjs'), join(scratch, 'guard.cjs'));
    const result = await runChild(scratch, [...args, zipPath], timeoutMs);
    return { ...result, duration_ms: Date.now() - started };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
