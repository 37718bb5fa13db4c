import type { Message, MessageCode } from '../contract/messages';
import type { ApplicantText } from './localized-text';
import type { Locale } from './messages';

/**
 * The controller's messages in the kiosk's four languages, one sentence per code, `{name}` where a
 * parameter goes. Every locale must word every code: the type makes a missing one a compile error.
 * Staff read these at the counter and applicants at the camera: short, with the action to take.
 */
type Catalogue = Readonly<Record<MessageCode, string>>;

const zhTW: Catalogue = {
  'staff.idle-locked': '閒置過久，已自動登出',
  'staff.cards-unreadable': '讀卡機上有多張卡片，或卡片沒有回應：請只放一張卡',
  'staff.not-a-staff-card': '這不是員工卡，請感應市府員工卡',
  'staff.unverified-card': '無法驗證這張卡片，請重新感應員工卡',
  'staff.citizen-card': '這是市民卡，不是員工卡',
  'staff.unknown-card': '這張員工卡尚未在本機登錄，請洽督導',
  'staff.card-disabled': '這張員工卡已停用',
  'staff.locked': '密碼錯誤次數過多，鎖定至 {until}',
  'staff.wrong-pin': '密碼錯誤，還可再試 {attemptsLeft} 次',
  'staff.not-a-supervisor': '只有督導可以核准，請由督導感應員工卡',
  'staff.same-person': '不可核准自己的操作，請由另一位督導核准',
  'staff.approved-but-failed': '已核准，但無法完成：{reason}',
  'service.door-opened': '機箱曾被開啟，暫停服務：請技術人員檢查後恢復',
  'service.board-lost': '無人看管時控制板曾中斷連線，暫停服務：請技術人員檢查機箱後恢復',

  'photo.no-face': '看不到臉，請面向鏡頭',
  'photo.many-faces': '畫面中只能有一個人',
  'photo.come-closer': '請靠近一點',
  'photo.move-back': '請退後一點',
  'photo.move-to-your-left': '請往您的左邊移一點',
  'photo.move-to-your-right': '請往您的右邊移一點',
  'photo.move-up': '請把頭抬高一點，放進框線內',
  'photo.move-down': '請把頭放低一點，放進框線內',
  'photo.face-camera': '請正面看著鏡頭',
  'photo.head-straight': '請把頭擺正，不要歪斜',
  'photo.open-eyes': '您的眼睛看起來是閉著的，請張開眼睛',
  'photo.open-both-eyes': '有一隻眼睛看起來是閉著的，請兩眼都張開',
  'photo.too-dark': '太暗了，請面向燈光',
  'photo.too-bright': '太亮了，請避開強光',
  'photo.low-contrast': '影像太淡，請避開背後的強光',
  'photo.blurred': '影像模糊，請保持不動',
  'photo.dark-background': '背景太暗，請站在淺色背景前',
  'photo.busy-background': '背景不夠單純，請移開身後的物品',
  'photo.unreadable': '無法讀取這張照片，請重拍或換一個檔案',
  'photo.not-measured': '需要先偵測到一張臉',
  'photo.crop-failed': '照片無法裁切，請再拍一次',
  'photo.passed.one-face': '偵測到一張臉',
  'photo.passed.head-height': '距離剛好',
  'photo.passed.centred': '位置置中',
  'photo.passed.frontal': '正面朝向鏡頭',
  'photo.passed.eyes-open': '眼睛張開',
  'photo.passed.brightness': '亮度合適',
  'photo.passed.contrast': '對比合適',
  'photo.passed.sharpness': '影像清晰',
  'photo.passed.background': '背景單純',
};

const en: Catalogue = {
  'staff.idle-locked': 'Signed out after being left idle',
  'staff.cards-unreadable': 'More than one card on the reader, or a card that does not answer: place one card only',
  'staff.not-a-staff-card': 'This is not a staff card: tap your city staff card',
  'staff.unverified-card': 'This card could not be verified: tap your staff card again',
  'staff.citizen-card': 'This is a citizen card, not a staff card',
  'staff.unknown-card': 'This staff card is not registered on this kiosk: ask a supervisor',
  'staff.card-disabled': 'This staff card has been disabled',
  'staff.locked': 'Too many wrong PINs: locked until {until}',
  'staff.wrong-pin': 'Wrong PIN: {attemptsLeft} tries left',
  'staff.not-a-supervisor': 'Only a supervisor can approve: a supervisor must tap their card',
  'staff.same-person': 'You cannot approve your own action: another supervisor must',
  'staff.approved-but-failed': 'Approved, but it could not be done: {reason}',
  'service.door-opened': 'The enclosure was opened: out of service until a technician checks it',
  'service.board-lost': 'The I/O board was lost while unattended: out of service until a technician checks the enclosure',

  'photo.no-face': 'We cannot see a face: please face the camera',
  'photo.many-faces': 'Only one person may be in the picture',
  'photo.come-closer': 'Please come a little closer',
  'photo.move-back': 'Please move back a little',
  'photo.move-to-your-left': 'Please move a little to your left',
  'photo.move-to-your-right': 'Please move a little to your right',
  'photo.move-up': 'Please raise your head a little, into the oval',
  'photo.move-down': 'Please lower your head a little, into the oval',
  'photo.face-camera': 'Please look straight at the camera',
  'photo.head-straight': 'Please hold your head upright',
  'photo.open-eyes': 'Your eyes look closed: please keep them open',
  'photo.open-both-eyes': 'One of your eyes looks closed: please keep both eyes open',
  'photo.too-dark': 'It is too dark: please face the light',
  'photo.too-bright': 'It is too bright: please move out of strong light',
  'photo.low-contrast': 'The picture is washed out: please avoid light behind you',
  'photo.blurred': 'The picture is blurred: please hold still',
  'photo.dark-background': 'The background is too dark: please stand in front of a light background',
  'photo.busy-background': 'The background is not plain: please clear the area behind you',
  'photo.unreadable': 'This picture cannot be read: please retake it or choose another file',
  'photo.not-measured': 'Needs one face first',
  'photo.crop-failed': 'The photo could not be cropped: please take it again',
  'photo.passed.one-face': 'One face found',
  'photo.passed.head-height': 'Distance is right',
  'photo.passed.centred': 'Well centred',
  'photo.passed.frontal': 'Facing the camera',
  'photo.passed.eyes-open': 'Eyes open',
  'photo.passed.brightness': 'Exposure is good',
  'photo.passed.contrast': 'Contrast is good',
  'photo.passed.sharpness': 'Picture is sharp',
  'photo.passed.background': 'Background is plain',
};

const vi: Catalogue = {
  'staff.idle-locked': 'Đã tự động đăng xuất vì để máy quá lâu không dùng',
  'staff.cards-unreadable': 'Có nhiều thẻ trên đầu đọc, hoặc thẻ không phản hồi: chỉ đặt một thẻ',
  'staff.not-a-staff-card': 'Đây không phải thẻ nhân viên: đặt thẻ nhân viên của thành phố lên đầu đọc',
  'staff.unverified-card': 'Không xác minh được thẻ này: đặt lại thẻ nhân viên lên đầu đọc',
  'staff.citizen-card': 'Đây là thẻ công dân, không phải thẻ nhân viên',
  'staff.unknown-card': 'Thẻ nhân viên này chưa được đăng ký trên máy: hãy hỏi giám sát viên',
  'staff.card-disabled': 'Thẻ nhân viên này đã bị vô hiệu hóa',
  'staff.locked': 'Nhập sai mã PIN quá nhiều lần: bị khóa đến {until}',
  'staff.wrong-pin': 'Sai mã PIN: còn {attemptsLeft} lần thử',
  'staff.not-a-supervisor': 'Chỉ giám sát viên mới được phê duyệt: giám sát viên hãy đặt thẻ của mình lên đầu đọc',
  'staff.same-person': 'Không thể tự phê duyệt thao tác của mình: cần một giám sát viên khác',
  'staff.approved-but-failed': 'Đã phê duyệt nhưng không thực hiện được: {reason}',
  'service.door-opened': 'Vỏ máy đã bị mở: tạm ngừng phục vụ cho đến khi kỹ thuật viên kiểm tra',
  'service.board-lost': 'Bảng điều khiển bị mất kết nối khi không có người trông: tạm ngừng phục vụ cho đến khi kỹ thuật viên kiểm tra vỏ máy',

  'photo.no-face': 'Không thấy khuôn mặt: vui lòng nhìn về phía máy ảnh',
  'photo.many-faces': 'Trong ảnh chỉ được có một người',
  'photo.come-closer': 'Vui lòng lại gần hơn một chút',
  'photo.move-back': 'Vui lòng lùi lại một chút',
  'photo.move-to-your-left': 'Vui lòng dịch sang bên trái của bạn một chút',
  'photo.move-to-your-right': 'Vui lòng dịch sang bên phải của bạn một chút',
  'photo.move-up': 'Vui lòng đưa đầu lên cao một chút, vào trong khung bầu dục',
  'photo.move-down': 'Vui lòng hạ đầu xuống thấp một chút, vào trong khung bầu dục',
  'photo.face-camera': 'Vui lòng nhìn thẳng vào máy ảnh',
  'photo.head-straight': 'Vui lòng giữ đầu thẳng, không nghiêng',
  'photo.open-eyes': 'Mắt của bạn có vẻ đang nhắm: vui lòng mở mắt',
  'photo.open-both-eyes': 'Một bên mắt có vẻ đang nhắm: vui lòng mở cả hai mắt',
  'photo.too-dark': 'Quá tối: vui lòng quay mặt về phía đèn',
  'photo.too-bright': 'Quá sáng: vui lòng tránh chỗ ánh sáng mạnh',
  'photo.low-contrast': 'Ảnh bị nhạt: vui lòng tránh ánh sáng mạnh phía sau lưng',
  'photo.blurred': 'Ảnh bị mờ: vui lòng giữ yên',
  'photo.dark-background': 'Phông nền quá tối: vui lòng đứng trước phông nền sáng màu',
  'photo.busy-background': 'Phông nền chưa trơn: vui lòng dời các đồ vật phía sau bạn',
  'photo.unreadable': 'Không đọc được ảnh này: vui lòng chụp lại hoặc chọn tệp khác',
  'photo.not-measured': 'Cần thấy một khuôn mặt trước',
  'photo.crop-failed': 'Không cắt được ảnh: vui lòng chụp lại',
  'photo.passed.one-face': 'Đã thấy một khuôn mặt',
  'photo.passed.head-height': 'Khoảng cách vừa đúng',
  'photo.passed.centred': 'Vị trí ở chính giữa',
  'photo.passed.frontal': 'Đang nhìn thẳng vào máy ảnh',
  'photo.passed.eyes-open': 'Mắt đang mở',
  'photo.passed.brightness': 'Độ sáng vừa phải',
  'photo.passed.contrast': 'Độ tương phản vừa phải',
  'photo.passed.sharpness': 'Ảnh rõ nét',
  'photo.passed.background': 'Phông nền trơn',
};

const id: Catalogue = {
  'staff.idle-locked': 'Keluar otomatis karena terlalu lama tidak dipakai',
  'staff.cards-unreadable': 'Ada lebih dari satu kartu di pembaca, atau kartu tidak merespons: letakkan satu kartu saja',
  'staff.not-a-staff-card': 'Ini bukan kartu pegawai: letakkan kartu pegawai Pemkot Anda pada pembaca',
  'staff.unverified-card': 'Kartu ini tidak dapat diverifikasi: letakkan lagi kartu pegawai Anda pada pembaca',
  'staff.citizen-card': 'Ini kartu warga, bukan kartu pegawai',
  'staff.unknown-card': 'Kartu pegawai ini belum terdaftar di kios ini: hubungi penyelia',
  'staff.card-disabled': 'Kartu pegawai ini sudah dinonaktifkan',
  'staff.locked': 'Terlalu banyak PIN salah: terkunci sampai {until}',
  'staff.wrong-pin': 'PIN salah: sisa {attemptsLeft} kali percobaan',
  'staff.not-a-supervisor': 'Hanya penyelia yang dapat menyetujui: penyelia harus meletakkan kartunya pada pembaca',
  'staff.same-person': 'Anda tidak dapat menyetujui tindakan sendiri: harus penyelia lain',
  'staff.approved-but-failed': 'Sudah disetujui, tetapi tidak dapat dilakukan: {reason}',
  'service.door-opened': 'Casing mesin pernah dibuka: tidak melayani sampai teknisi memeriksanya',
  'service.board-lost': 'Papan kendali terputus saat tidak dijaga: tidak melayani sampai teknisi memeriksa casing mesin',

  'photo.no-face': 'Wajah tidak terlihat: mohon menghadap kamera',
  'photo.many-faces': 'Hanya boleh ada satu orang di foto',
  'photo.come-closer': 'Mohon mendekat sedikit',
  'photo.move-back': 'Mohon mundur sedikit',
  'photo.move-to-your-left': 'Mohon geser sedikit ke kiri Anda',
  'photo.move-to-your-right': 'Mohon geser sedikit ke kanan Anda',
  'photo.move-up': 'Mohon naikkan posisi kepala sedikit, masuk ke dalam oval',
  'photo.move-down': 'Mohon turunkan posisi kepala sedikit, masuk ke dalam oval',
  'photo.face-camera': 'Mohon lihat lurus ke kamera',
  'photo.head-straight': 'Mohon tegakkan kepala, jangan miring',
  'photo.open-eyes': 'Mata Anda tampak terpejam: mohon buka mata',
  'photo.open-both-eyes': 'Satu mata Anda tampak terpejam: mohon buka kedua mata',
  'photo.too-dark': 'Terlalu gelap: mohon menghadap ke arah lampu',
  'photo.too-bright': 'Terlalu terang: mohon menjauh dari cahaya yang kuat',
  'photo.low-contrast': 'Foto terlalu pucat: mohon hindari cahaya terang di belakang Anda',
  'photo.blurred': 'Foto buram: mohon jangan bergerak',
  'photo.dark-background': 'Latar belakang terlalu gelap: mohon berdiri di depan latar yang terang',
  'photo.busy-background': 'Latar belakang kurang polos: mohon singkirkan barang di belakang Anda',
  'photo.unreadable': 'Foto ini tidak bisa dibaca: mohon foto ulang atau pilih file lain',
  'photo.not-measured': 'Perlu satu wajah terdeteksi dulu',
  'photo.crop-failed': 'Foto tidak bisa dipotong: mohon foto ulang',
  'photo.passed.one-face': 'Satu wajah terdeteksi',
  'photo.passed.head-height': 'Jarak sudah pas',
  'photo.passed.centred': 'Posisi sudah di tengah',
  'photo.passed.frontal': 'Menghadap kamera',
  'photo.passed.eyes-open': 'Mata terbuka',
  'photo.passed.brightness': 'Pencahayaan sudah pas',
  'photo.passed.contrast': 'Kontras sudah pas',
  'photo.passed.sharpness': 'Foto tajam',
  'photo.passed.background': 'Latar belakang polos',
};

export const messageCatalogue: Readonly<Record<Locale, Catalogue>> = { 'zh-TW': zhTW, en, vi, id };

/** The `{name}` placeholders of a catalogue sentence, in order. */
export const placeholderPattern = /\{(\w+)\}/g;

/** The message in one language, its parameters filled in (a number as written, e.g. `3`). */
export function renderMessage(locale: Locale, { code, params }: Message): string {
  return messageCatalogue[locale][code].replace(placeholderPattern, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

/** What logs and refusal reasons keep: the English rendering. */
export function englishOf(message: Message): string {
  return renderMessage('en', message);
}

/** The message in all four languages, for the screens that show a line in one language over another. */
export function textOf(message: Message): ApplicantText {
  return {
    zh: renderMessage('zh-TW', message),
    en: renderMessage('en', message),
    vi: renderMessage('vi', message),
    id: renderMessage('id', message),
  };
}
