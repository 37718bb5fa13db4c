import type { ApplicantText } from '../../../shared/contract/kiosk-api';

/**
 * What the applicant hears for each outcome: short, kind, an action they can take, in all four
 * languages (the applicant stands at the camera). Left/right are the applicant's own, so they hold
 * whether or not the preview is mirrored.
 */
export const photoMessages = {
  ok: { zh: '很好，請保持不動', en: 'Good, please hold still', vi: 'Tốt lắm, vui lòng giữ yên', id: 'Bagus, mohon jangan bergerak' },
  noFace: { zh: '看不到臉，請面向鏡頭', en: 'We cannot see a face: please face the camera', vi: 'Không thấy khuôn mặt: vui lòng nhìn về phía máy ảnh', id: 'Wajah tidak terlihat: mohon menghadap kamera' },
  manyFaces: { zh: '畫面中只能有一個人', en: 'Only one person may be in the picture', vi: 'Trong ảnh chỉ được có một người', id: 'Hanya boleh ada satu orang di foto' },
  comeCloser: { zh: '請靠近一點', en: 'Please come a little closer', vi: 'Vui lòng lại gần hơn một chút', id: 'Mohon mendekat sedikit' },
  moveBack: { zh: '請退後一點', en: 'Please move back a little', vi: 'Vui lòng lùi lại một chút', id: 'Mohon mundur sedikit' },
  moveToYourLeft: { zh: '請往您的左邊移一點', en: 'Please move a little to your left', vi: 'Vui lòng dịch sang bên trái của bạn một chút', id: 'Mohon geser sedikit ke kiri Anda' },
  moveToYourRight: { zh: '請往您的右邊移一點', en: 'Please move a little to your right', vi: 'Vui lòng dịch sang bên phải của bạn một chút', id: 'Mohon geser sedikit ke kanan Anda' },
  moveUp: {
    zh: '請把頭抬高一點，放進框線內',
    en: 'Please raise your head a little, into the oval',
    vi: 'Vui lòng đưa đầu lên cao một chút, vào trong khung bầu dục',
    id: 'Mohon naikkan posisi kepala sedikit, masuk ke dalam oval',
  },
  moveDown: {
    zh: '請把頭放低一點，放進框線內',
    en: 'Please lower your head a little, into the oval',
    vi: 'Vui lòng hạ đầu xuống thấp một chút, vào trong khung bầu dục',
    id: 'Mohon turunkan posisi kepala sedikit, masuk ke dalam oval',
  },
  faceCamera: { zh: '請正面看著鏡頭', en: 'Please look straight at the camera', vi: 'Vui lòng nhìn thẳng vào máy ảnh', id: 'Mohon lihat lurus ke kamera' },
  headStraight: { zh: '請把頭擺正，不要歪斜', en: 'Please hold your head upright', vi: 'Vui lòng giữ đầu thẳng, không nghiêng', id: 'Mohon tegakkan kepala, jangan miring' },
  openEyes: {
    zh: '您的眼睛看起來是閉著的，請張開眼睛',
    en: 'Your eyes look closed: please keep them open',
    vi: 'Mắt của bạn có vẻ đang nhắm: vui lòng mở mắt',
    id: 'Mata Anda tampak terpejam: mohon buka mata',
  },
  openBothEyes: {
    zh: '有一隻眼睛看起來是閉著的，請兩眼都張開',
    en: 'One of your eyes looks closed: please keep both eyes open',
    vi: 'Một bên mắt có vẻ đang nhắm: vui lòng mở cả hai mắt',
    id: 'Satu mata Anda tampak terpejam: mohon buka kedua mata',
  },
  tooDark: { zh: '太暗了，請面向燈光', en: 'It is too dark: please face the light', vi: 'Quá tối: vui lòng quay mặt về phía đèn', id: 'Terlalu gelap: mohon menghadap ke arah lampu' },
  tooBright: { zh: '太亮了，請避開強光', en: 'It is too bright: please move out of strong light', vi: 'Quá sáng: vui lòng tránh chỗ ánh sáng mạnh', id: 'Terlalu terang: mohon menjauh dari cahaya yang kuat' },
  lowContrast: {
    zh: '影像太淡，請避開背後的強光',
    en: 'The picture is washed out: please avoid light behind you',
    vi: 'Ảnh bị nhạt: vui lòng tránh ánh sáng mạnh phía sau lưng',
    id: 'Foto terlalu pucat: mohon hindari cahaya terang di belakang Anda',
  },
  blurred: { zh: '影像模糊，請保持不動', en: 'The picture is blurred: please hold still', vi: 'Ảnh bị mờ: vui lòng giữ yên', id: 'Foto buram: mohon jangan bergerak' },
  darkBackground: {
    zh: '背景太暗，請站在淺色背景前',
    en: 'The background is too dark: please stand in front of a light background',
    vi: 'Phông nền quá tối: vui lòng đứng trước phông nền sáng màu',
    id: 'Latar belakang terlalu gelap: mohon berdiri di depan latar yang terang',
  },
  busyBackground: {
    zh: '背景不夠單純，請移開身後的物品',
    en: 'The background is not plain: please clear the area behind you',
    vi: 'Phông nền chưa trơn: vui lòng dời các đồ vật phía sau bạn',
    id: 'Latar belakang kurang polos: mohon singkirkan barang di belakang Anda',
  },
  /** The accepted photo could not be cut to the card and archive sizes (a check of the controller's own). */
  cropFailed: { zh: '照片無法裁切，請再拍一次', en: 'The photo could not be cropped: please take it again', vi: 'Không cắt được ảnh: vui lòng chụp lại', id: 'Foto tidak bisa dipotong: mohon foto ulang' },
  pass: {
    'one-face': { zh: '偵測到一張臉', en: 'One face found', vi: 'Đã thấy một khuôn mặt', id: 'Satu wajah terdeteksi' },
    'head-height': { zh: '距離剛好', en: 'Distance is right', vi: 'Khoảng cách vừa đúng', id: 'Jarak sudah pas' },
    centred: { zh: '位置置中', en: 'Well centred', vi: 'Vị trí ở chính giữa', id: 'Posisi sudah di tengah' },
    frontal: { zh: '正面朝向鏡頭', en: 'Facing the camera', vi: 'Đang nhìn thẳng vào máy ảnh', id: 'Menghadap kamera' },
    'eyes-open': { zh: '眼睛張開', en: 'Eyes open', vi: 'Mắt đang mở', id: 'Mata terbuka' },
    brightness: { zh: '亮度合適', en: 'Exposure is good', vi: 'Độ sáng vừa phải', id: 'Pencahayaan sudah pas' },
    contrast: { zh: '對比合適', en: 'Contrast is good', vi: 'Độ tương phản vừa phải', id: 'Kontras sudah pas' },
    sharpness: { zh: '影像清晰', en: 'Picture is sharp', vi: 'Ảnh rõ nét', id: 'Foto tajam' },
    background: { zh: '背景單純', en: 'Background is plain', vi: 'Phông nền trơn', id: 'Latar belakang polos' },
  },
  notMeasured: { zh: '需要先偵測到一張臉', en: 'Needs one face first', vi: 'Cần thấy một khuôn mặt trước', id: 'Perlu satu wajah terdeteksi dulu' },
} as const satisfies Record<string, ApplicantText | Record<string, ApplicantText>>;
