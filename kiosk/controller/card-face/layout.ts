import { iso7816ChipArea, type DotArea } from '../../../hardware/printer/panels';
import { cardHeightDots, cardWidthDots } from '../../../hardware/printer/types';

/**
 * Where things go on a CR80 card at 300 dpi (1016 × 648 px, landscape). The photo box has the
 * 35 : 45 shape of a Taiwan ID photo, so the photo module can crop straight to it.
 */
export const cardFaceSize = { width: cardWidthDots, height: cardHeightDots } as const;

export interface PixelBox {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** The photo on the front: 231 × 297 px (19.6 × 25.1 mm), right-hand side. */
export const photoBox: PixelBox = { left: 737, top: 150, width: 231, height: 297 };

/** Kept clear of overlay and of design elements (ISO 7816-2 contact area with a margin). */
export const chipArea: DotArea = iso7816ChipArea;

export const margin = 48;
export const headerHeight = 120;
export const footerTop = 560;

/** The text column between the chip area and the photo. */
export const textColumn = { left: 290, right: photoBox.left - 28 } as const;
