export { renderCardFace, type CardFace, type CardFaceError, type CardFaceInput } from './render-card-face';
export { cardFaceSize, chipArea, photoBox, type PixelBox } from './layout';
export { cardDesign, type CardDesign } from './design';
