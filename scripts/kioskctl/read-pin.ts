/**
 * Reads a PIN from standard input: typed without echo at a terminal, or the first line of what is piped.
 * The PIN never goes on the command line (it would show in `ps` and the shell history).
 */
export async function readPin(): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of input) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0]?.trim() ?? '';
  }
  process.stderr.write('PIN: ');
  input.setRawMode(true);
  input.resume();
  return new Promise((resolve) => {
    let pin = '';
    const onData = (data: Buffer) => {
      for (const char of data.toString('utf8')) {
        if (char === '\r' || char === '\n' || char === '\u0003') {
          input.setRawMode(false);
          input.pause();
          input.off('data', onData);
          process.stderr.write('\n');
          resolve(char === '\u0003' ? '' : pin);
          return;
        }
        if (char === '\u007f') pin = pin.slice(0, -1);
        else pin += char;
      }
    };
    input.on('data', onData);
  });
}
