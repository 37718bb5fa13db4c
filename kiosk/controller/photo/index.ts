/** The applicant-photo module: the authoritative ID-photo gate, crops and face comparison. */
export { createPhotoGate, type PhotoGate, type PhotoGateOptions } from './gate';
export { cropToArchive, cropToCardAndArchive, cropToCardPhoto, archivePhotoSize, type CardAndArchivePhotos, type CropOptions, type PhotoCropError } from './crop';
export { compareFaces, defaultMatchThreshold, type FaceComparison, type FaceCompareError } from './compare';
export {
  defaultPhotoGateConfig,
  parsePhotoGateOverrides,
  resolvePhotoGateConfig,
  type PhotoGateConfig,
  type PhotoGateConfigOverrides,
} from './config';
export { evaluateCapture, type CaptureEvaluation } from './capture';
export { photoMessages } from './messages';
export { photoCheckOrder, toCheckView, type FaceGeometry, type PhotoCheck, type PhotoCheckId, type PhotoVerdict } from './verdict';
