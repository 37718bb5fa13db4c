import type { ApplicantText } from '../../../../shared/contract/kiosk-api';

/**
 * The camera component's own words, in all four languages (the applicant reads them at the camera);
 * the quality advice comes from the controller's verdict.
 */
export const photoTexts = {
  starting: { zh: '正在開啟相機…', en: 'Starting the camera…', vi: 'Đang mở máy ảnh…', id: 'Membuka kamera…' },
  capture: { zh: '拍照', en: 'Take photo', vi: 'Chụp ảnh', id: 'Ambil foto' },
  importFile: { zh: '匯入照片檔', en: 'Import a photo file', vi: 'Chọn tệp ảnh', id: 'Pilih file foto' },
  retryCamera: { zh: '重新開啟相機', en: 'Try the camera again', vi: 'Mở lại máy ảnh', id: 'Coba buka kamera lagi' },
  denied: {
    zh: '無法使用相機：尚未允許使用相機。請工作人員允許相機權限，或匯入照片檔。',
    en: 'The camera cannot be used: permission was not given. Staff can allow the camera, or import a photo file.',
    vi: 'Không dùng được máy ảnh: chưa được cho phép. Nhân viên có thể cho phép máy ảnh, hoặc chọn tệp ảnh.',
    id: 'Kamera tidak bisa dipakai: izin belum diberikan. Petugas dapat mengizinkan kamera, atau memilih file foto.',
  },
  missing: {
    zh: '找不到相機，或相機正被其他程式使用。請工作人員檢查相機連線，或匯入照片檔。',
    en: 'No camera was found, or it is in use. Staff can check the camera cable, or import a photo file.',
    vi: 'Không tìm thấy máy ảnh, hoặc máy ảnh đang bận. Nhân viên có thể kiểm tra dây máy ảnh, hoặc chọn tệp ảnh.',
    id: 'Kamera tidak ditemukan, atau sedang dipakai. Petugas dapat memeriksa kabel kamera, atau memilih file foto.',
  },
  unsupported: {
    zh: '此畫面無法使用相機。請匯入照片檔。',
    en: 'The camera is not available on this screen. Please import a photo file.',
    vi: 'Màn hình này không dùng được máy ảnh. Vui lòng chọn tệp ảnh.',
    id: 'Kamera tidak tersedia di layar ini. Mohon pilih file foto.',
  },
  badFile: {
    zh: '無法讀取這個檔案，請選擇 JPEG 或 PNG 照片',
    en: 'This file cannot be read: please choose a JPEG or PNG photo',
    vi: 'Không đọc được tệp này: vui lòng chọn ảnh JPEG hoặc PNG',
    id: 'File ini tidak bisa dibaca: mohon pilih foto JPEG atau PNG',
  },
  accepted: { zh: '照片合格', en: 'The photo is accepted', vi: 'Ảnh đạt yêu cầu', id: 'Foto diterima' },
  /** After the last attempt, when none showed exactly one face: an override cannot accept a faceless frame. */
  overrideRefused: {
    zh: '每一次拍攝都沒有找到唯一一張清楚的臉，這張照片不能以例外核准；請取消後重新申辦並重新拍照',
    en: 'No attempt shows exactly one face, so no photo can be accepted by exception: cancel, start again and retake the photo',
    vi: 'Không lần chụp nào có đúng một khuôn mặt rõ ràng, nên không thể duyệt ảnh theo ngoại lệ: vui lòng hủy, làm lại từ đầu và chụp lại ảnh',
    id: 'Tidak ada foto dengan tepat satu wajah yang jelas, jadi foto tidak bisa diterima sebagai pengecualian: batalkan, mulai lagi, lalu foto ulang',
  },
  guide: {
    zh: '請把頭放在橢圓框內，肩膀對齊下方線條',
    en: 'Place your head inside the oval, shoulders on the line below',
    vi: 'Đặt đầu vào trong khung bầu dục, vai ngang với đường kẻ bên dưới',
    id: 'Letakkan kepala di dalam oval, bahu sejajar garis di bawah',
  },
} as const satisfies Record<string, ApplicantText>;
