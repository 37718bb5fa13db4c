import type { BatchColumn } from '../../../../shared/contract/batch';
import type { Locale } from '../../../../shared/i18n/messages';

/**
 * A batch file's column as the problem table names it: the heading a clerk knows, in the screen's
 * language, with the file's own column name beside it (what to look for in the file).
 */
const headings: Readonly<Record<BatchColumn, Readonly<Record<Locale, string>>>> = {
  room: { 'zh-TW': '房號', en: 'Room', vi: 'Phòng', id: 'Kamar' },
  name_zh: { 'zh-TW': '姓名', en: 'Name (Chinese)', vi: 'Họ tên (chữ Hán)', id: 'Nama (Mandarin)' },
  name: { 'zh-TW': '英文姓名', en: 'Name (romanised)', vi: 'Họ tên (chữ Latinh)', id: 'Nama (huruf Latin)' },
  id_number: { 'zh-TW': '身分證號', en: 'ID number', vi: 'Số giấy tờ', id: 'Nomor identitas' },
  birth_date: { 'zh-TW': '出生日期', en: 'Date of birth', vi: 'Ngày sinh', id: 'Tanggal lahir' },
  district: { 'zh-TW': '戶籍行政區', en: 'District of household registration', vi: 'Quận hộ khẩu', id: 'Distrik domisili' },
  card_type: { 'zh-TW': '卡別', en: 'Card type', vi: 'Loại thẻ', id: 'Jenis kartu' },
  scheme: { 'zh-TW': '電子票證', en: 'Transit scheme', vi: 'Loại vé điện tử', id: 'Jenis tiket elektronik' },
  replacement_cause: { 'zh-TW': '補發原因', en: 'Replacement cause', vi: 'Lý do cấp lại', id: 'Alasan penggantian' },
  disability_certificate: { 'zh-TW': '身心障礙證明', en: 'Disability certificate', vi: 'Giấy chứng nhận khuyết tật', id: 'Surat keterangan disabilitas' },
  indigenous: { 'zh-TW': '原住民身分', en: 'Indigenous status', vi: 'Người bản địa', id: 'Status penduduk asli' },
  bedridden: { 'zh-TW': '臥床', en: 'Bedridden', vi: 'Nằm liệt giường', id: 'Terbaring di tempat tidur' },
  guardian_name: { 'zh-TW': '監護人姓名', en: "Guardian's name", vi: 'Họ tên người giám hộ', id: 'Nama wali' },
  guardian_id_number: { 'zh-TW': '監護人身分證號', en: "Guardian's ID number", vi: 'Số giấy tờ người giám hộ', id: 'Nomor identitas wali' },
  guardian_relation: { 'zh-TW': '監護人關係', en: "Guardian's relation", vi: 'Quan hệ với người giám hộ', id: 'Hubungan wali' },
};

export function columnHeading(locale: Locale, column: BatchColumn): string {
  return `${headings[column][locale]} (${column})`;
}
