import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { openCardPrinter } from '../../../../hardware/printer/driver';
import { unpackPanel } from '../../../../hardware/printer/panels';
import { panelBytes } from '../../../../hardware/printer/protocol';
import { startPrinterSimulator } from '../../../../hardware/printer/simulator';
import { openPtyPair } from '../../../../hardware/serial/pty-pair';
import { code39 } from '../../../../kiosk/controller/card-face/code39';
import { chipArea, photoBox, renderCardFace, type CardFace, type CardFaceInput } from '../../../../kiosk/controller/card-face';

const base: CardFaceInput = {
  cardType: 'student',
  schoolLevel: 'elementary',
  scheme: 'easycard',
  holderName: '林怡君',
  cardNumber: '8800123456789012',
  issueDate: '2025-03-14',
};

async function render(input: Partial<CardFaceInput> = {}): Promise<CardFace> {
  const result = await renderCardFace({ ...base, ...input });
  if (!result.ok) throw new Error(`render failed: ${JSON.stringify(result.error)}`);
  return result.value;
}

async function rgb(png: Buffer): Promise<{ data: Buffer; width: number; height: number; channels: number }> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

const pixelAt = (image: { data: Buffer; width: number; channels: number }, x: number, y: number): number[] => {
  const at = (y * image.width + x) * image.channels;
  return [image.data[at] ?? -1, image.data[at + 1] ?? -1, image.data[at + 2] ?? -1];
};

/** The name area of the front, as a grey-scale buffer. */
async function nameRegion(png: Buffer): Promise<Buffer> {
  return sharp(png).extract({ left: 290, top: 180, width: 420, height: 80 }).greyscale().raw().toBuffer();
}

describe('renderCardFace', () => {
  it('renders both faces of a CR80 card at 300 dpi', async () => {
    const face = await render();
    for (const png of [face.frontPng, face.backPng]) {
      const meta = await sharp(png).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['png', 1016, 648]);
    }
  });

  it('gives the three student levels their colours: 桃花紅, 水塘綠, 高山青', async () => {
    const colours = [];
    for (const schoolLevel of ['elementary', 'junior-high', 'senior-high'] as const) {
      colours.push(pixelAt(await rgb((await render({ schoolLevel })).frontPng), 10, 10));
    }
    const [peach, pond, mountain] = colours as [number[], number[], number[]];
    expect(peach[0]).toBeGreaterThan(peach[1] ?? 0); // red dominates
    expect(pond[1]).toBeGreaterThan(pond[0] ?? 0); // green dominates
    expect(mountain[2]).toBeGreaterThan(mountain[0] ?? 0); // blue dominates
  });

  it('draws real CJK glyphs: different names give different ink, and there is ink', async () => {
    const a = await nameRegion((await render({ holderName: '林怡君' })).frontPng);
    const b = await nameRegion((await render({ holderName: '王大明' })).frontPng);
    const tofuA = await nameRegion((await render({ holderName: '\u{10FFFD}\u{10FFFD}\u{10FFFD}' })).frontPng);
    const dark = (buffer: Buffer): number => buffer.filter((v) => v < 80).length;
    expect(dark(a)).toBeGreaterThan(2000);
    expect(a.equals(b)).toBe(false);
    expect(a.equals(tofuA)).toBe(false);
    // 一 is one horizontal stroke: a real glyph inks a thin band, a tofu box (outline + hex digits) the full height
    const one = await nameRegion((await render({ holderName: '一一一' })).frontPng);
    const inkedRows = new Set<number>();
    one.forEach((v, i) => {
      if (v < 80) inkedRows.add(Math.floor(i / 420));
    });
    expect(inkedRows.size).toBeGreaterThan(0);
    expect(inkedRows.size).toBeLessThan(16);
  });

  it('puts the photo in the exported photo box', async () => {
    expect(photoBox.width / photoBox.height).toBeCloseTo(35 / 45, 2);
    const photoJpeg = await sharp({ create: { width: 350, height: 450, channels: 3, background: { r: 0, g: 200, b: 0 } } }).jpeg().toBuffer();
    const image = await rgb((await render({ photoJpeg })).frontPng);
    const [r, g, b] = pixelAt(image, photoBox.left + Math.floor(photoBox.width / 2), photoBox.top + Math.floor(photoBox.height / 2));
    expect(g).toBeGreaterThan(150);
    expect((r ?? 0) + (b ?? 0)).toBeLessThan(80);
  });

  it('makes a YMCKO job whose K panel carries the black text and whose overlay spares the chip', async () => {
    const face = await render();
    const front = face.job.front.panels;
    expect(front.map((p) => `${p.name}${p.levels}`)).toEqual(['y32', 'm32', 'c32', 'k2', 'o2']);
    for (const panel of front) expect(panel.data.length).toBe(panelBytes(panel.levels));
    const dot = (x: number, y: number): number => x * 648 + y;
    const k = unpackPanel(front[3]!);
    let nameInk = 0;
    for (let x = 290; x < 700; x++) for (let y = 190; y < 250; y++) nameInk += k[dot(x, y)] ?? 0;
    expect(nameInk).toBeGreaterThan(2000);
    const o = unpackPanel(front[4]!);
    expect(o[dot(chipArea.left + 10, chipArea.top + 10)]).toBe(0);
    expect(o[dot(chipArea.left + chipArea.width + 5, chipArea.top + 10)]).toBe(1);
    expect(o[dot(900, 600)]).toBe(1);
    const backOverlay = unpackPanel(face.job.back!.panels[4]!);
    expect(backOverlay[dot(chipArea.left + 10, chipArea.top + 10)]).toBe(1);
    expect((await render({ printBack: false })).job.back).toBeUndefined();
  });

  it('escapes markup in names and accepts long Latin names', async () => {
    await render({ holderName: 'A & <B> "C"' });
    await render({ holderName: 'CHEN, MEI-LING ALEXANDRA WILHELMINA VON HOHENZOLLERN' });
  });

  it('refuses bad input as typed errors', async () => {
    expect(await renderCardFace({ ...base, schoolLevel: undefined as never })).toMatchObject({ ok: false, error: { field: 'schoolLevel' } });
    expect(await renderCardFace({ ...base, issueDate: '2025-02-30' })).toMatchObject({ ok: false, error: { field: 'issueDate' } });
    expect(await renderCardFace({ ...base, cardNumber: '12<3' })).toMatchObject({ ok: false, error: { field: 'cardNumber' } });
    expect(await renderCardFace({ ...base, holderName: '  ' })).toMatchObject({ ok: false, error: { field: 'holderName' } });
    expect(await renderCardFace({ ...base, photoJpeg: Buffer.from('not a jpeg') })).toEqual({ ok: false, error: { kind: 'unreadable_photo' } });
  });
});

describe('code39', () => {
  it('encodes 5 bars a character with start and stop, and refuses what it cannot carry', () => {
    const code = code39('12');
    expect(code?.bars).toHaveLength(5 * 4);
    expect(code?.modules).toBe(4 * 15 + 3);
    expect(code39('ab')).toBeDefined();
    expect(code39('a*b')).toBeUndefined();
    expect(code39('林')).toBeUndefined();
  });
});

describe('card face printed through the driver and the simulator', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('comes out of the printer looking like the preview', async () => {
    const photoJpeg = await sharp({ create: { width: 350, height: 450, channels: 3, background: { r: 200, g: 170, b: 140 } } }).jpeg().toBuffer();
    const face = await render({ cardType: 'disability', schoolLevel: undefined as never, photoJpeg });
    const pair = await openPtyPair('printer');
    cleanup.push(() => pair.close());
    const sim = await startPrinterSimulator({ devicePath: pair.devicePath, timeScale: 0.001 });
    cleanup.push(() => sim.close());
    const printer = await openCardPrinter({ path: pair.hostPath, pollIntervalMs: 0 });
    cleanup.push(() => printer.close());

    expect(await printer.printCard(face.job)).toMatchObject({ ok: true, value: { sides: 2 } });
    const [card] = sim.printedCards();
    expect(card?.chipAreaClear).toBe(true);
    for (const [preview, printed] of [
      [face.frontPng, card?.front],
      [face.backPng, card?.back],
    ] as const) {
      const a = await rgb(preview);
      const b = await rgb(printed ?? Buffer.alloc(0));
      let total = 0;
      for (let i = 0; i < a.width * a.height; i++) {
        for (let c = 0; c < 3; c++) total += Math.abs((a.data[i * a.channels + c] ?? 0) - (b.data[i * b.channels + c] ?? 0));
      }
      expect(total / (a.width * a.height * 3)).toBeLessThan(6); // quantised to 32 levels, dark greys to K
    }
  });
});
