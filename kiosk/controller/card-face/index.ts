export { renderCardFace, renderCardFaceImages, renderCardToPrint, type CardFace, type CardFaceError, type CardFaceImages, type CardFaceInput } from './render-card-face';
export { cardFaceSize, chipArea, photoBox, type PixelBox } from './layout';
export { cardDesign, type CardDesign } from './design';
