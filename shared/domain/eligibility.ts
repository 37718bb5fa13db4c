import { assertNever } from '../result';
import { ageOn, compareDates, firstOfBirthdayMonth, formatIsoDate, parseIsoDate, type CalendarDate } from './calendar-date';
import { cardTypeNames, type CardType } from './card-types';
import type { EligibilityInput } from './eligibility-input';
import type { CityRules } from './rules';
import type { ApplicantText } from '../i18n/localized-text';

/** Every decision explains itself, in all four languages: the applicant reads the reasons too. */
export type Reason = ApplicantText;

export interface CardDecision {
  readonly type: CardType;
  readonly eligible: boolean;
  /** `replacement` when the person already holds a card of this type; null when not eligible. */
  readonly action: 'new' | 'replacement' | null;
  readonly reasons: readonly Reason[];
  /** Welfare points loaded each month (0 when not eligible or none for this type). */
  readonly monthlyPoints: number;
  /** The student card's design by school level; null otherwise. */
  readonly design: string | null;
  /** Other types this person could also have or holds, of which only one may be held. */
  readonly exclusiveWith: readonly CardType[];
}

export interface EligibilityDecision {
  /** One entry per card type on offer, in the rules' order. */
  readonly cards: readonly CardDecision[];
  readonly guardianConsentRequired: boolean;
}

interface Facts {
  readonly input: EligibilityInput;
  readonly rules: CityRules;
  readonly today: CalendarDate;
  readonly birth: CalendarDate;
  readonly age: number;
  /** The household district when registered in the city, else null. */
  readonly district: string | null;
  readonly householdReason: Reason;
}

interface Assessment {
  readonly eligible: boolean;
  readonly reasons: Reason[];
}

/**
 * Decides, for each card type on offer, whether the applicant may have it and why. Pure: the input must
 * satisfy `eligibilityInputSchema` (dates that do not parse are a programming error and throw).
 */
export function decideEligibility(input: EligibilityInput, rules: CityRules): EligibilityDecision {
  const today = requireDate(input.applicationDate, 'applicationDate');
  const birth = requireDate(input.birthDate, 'birthDate');
  const facts: Facts = { input, rules, today, birth, age: ageOn(birth, today), ...household(input, rules) };
  const guardianConsentRequired = facts.age < rules.ages.guardianConsentBelow;

  const offered = rules.cardTypes;
  const assessments: Assessment[] = offered.map((type) => (type === 'general' ? { eligible: false, reasons: [] } : assess(type, facts)));
  const generalIndex = offered.indexOf('general');
  if (generalIndex !== -1) {
    const others: CardType[] = [];
    offered.forEach((type, i) => {
      if (type !== 'general' && assessments[i]?.eligible === true) others.push(type);
    });
    assessments[generalIndex] = assessGeneral(facts, others);
  }

  const cards = offered.map((type, i): CardDecision => {
    const assessment = assessments[i] ?? { eligible: false, reasons: [] };
    if (!assessment.eligible) {
      return { type, eligible: false, action: null, reasons: assessment.reasons, monthlyPoints: 0, design: null, exclusiveWith: [] };
    }
    const reasons = assessment.reasons;
    const held = holds(input, rules, type);
    const name = cardTypeNames[type];
    reasons.push(
      held
        ? {
            zh: `已持有${name.zh}：本次為補發`,
            en: `already holds a ${name.en}: this is a replacement`,
            vi: `đã có ${name.vi}: lần này là cấp lại thẻ`,
            id: `sudah memiliki ${name.id}: ini penggantian kartu`,
          }
        : {
            zh: `未持有${name.zh}：本次為新申辦（首張免費）`,
            en: `holds no ${name.en}: this is a new card (the first card is free)`,
            vi: `chưa có ${name.vi}: lần này là làm thẻ mới (thẻ đầu tiên miễn phí)`,
            id: `belum memiliki ${name.id}: ini kartu baru (kartu pertama gratis)`,
          },
    );
    const exclusiveWith = exclusivePartners(type, offered, assessments, facts);
    if (exclusiveWith.length > 0) reasons.push(exclusivityReason(type, exclusiveWith, input, rules));
    if (guardianConsentRequired) {
      reasons.push({
        zh: `申請人 ${facts.age} 歲，未滿 ${rules.ages.guardianConsentBelow} 歲：須經法定代理人同意`,
        en: `the applicant is ${facts.age}, under ${rules.ages.guardianConsentBelow}: a legal guardian must consent`,
        vi: `người nộp đơn ${facts.age} tuổi, dưới ${rules.ages.guardianConsentBelow} tuổi: cần người giám hộ hợp pháp đồng ý`,
        id: `pemohon berusia ${facts.age} tahun, di bawah ${rules.ages.guardianConsentBelow} tahun: wali sah harus menyetujui`,
      });
    }
    return {
      type,
      eligible: true,
      action: held ? 'replacement' : 'new',
      reasons,
      monthlyPoints: monthlyPoints(type, facts),
      design: type === 'student' && input.documents.school !== null ? rules.studentDesigns[input.documents.school] : null,
      exclusiveWith,
    };
  });
  return { cards, guardianConsentRequired };
}

function assess(type: Exclude<CardType, 'general'>, facts: Facts): Assessment {
  const { input, rules } = facts;
  switch (type) {
    case 'senior':
      return seniorAssessment(facts, rules.ages.senior, null);
    case 'indigenous-senior':
      return seniorAssessment(facts, rules.ages.indigenousSenior, input.indigenous);
    case 'disability': {
      const certified = input.documents.disabilityCertificate !== null;
      return all(facts.district !== null, [facts.householdReason], certified, certified ? reasons.hasCertificate : reasons.noCertificate);
    }
    case 'companion': {
      const certificate = input.documents.disabilityCertificate;
      const needed = certificate?.companionRequired === true;
      const reason =
        certificate === null
          ? reasons.noCertificate
          : needed
            ? reasons.companionNeeded
            : reasons.companionNotNeeded;
      return all(facts.district !== null, [facts.householdReason], needed, reason);
    }
    case 'student': {
      const school = input.documents.school;
      if (school === null) {
        return { eligible: false, reasons: [reasons.notAStudent] };
      }
      const design = rules.studentDesigns[school];
      const at = schoolNames[school];
      return {
        eligible: true,
        reasons: [{
          zh: `${at.zh}在學學生：卡面「${design}」`,
          en: `enrolled at a Taoyuan ${at.en}: design ${design}`,
          vi: `là học sinh ${at.vi}: mẫu thẻ "${design}"`,
          id: `murid ${at.id}: desain kartu "${design}"`,
        }],
      };
    }
    case 'employee':
      return input.documents.cityEmployee
        ? { eligible: true, reasons: [reasons.cityStaff] }
        : { eligible: false, reasons: [reasons.notCityStaff] };
    default:
      return assertNever(type);
  }
}

/** Senior cards start on the first day of the month of the qualifying birthday (not on the birthday). */
function seniorAssessment(facts: Facts, age: number, indigenous: boolean | null): Assessment {
  const from = firstOfBirthdayMonth(facts.birth, age);
  const old = compareDates(facts.today, from) >= 0;
  const fromText = formatIsoDate(from);
  const list: Reason[] = [facts.householdReason];
  if (indigenous !== null) {
    list.push(indigenous ? reasons.indigenous : reasons.notIndigenous);
  }
  list.push(
    old
      ? {
          zh: `自 ${fromText}（年滿 ${age} 歲當月 1 日）起符合年齡資格`,
          en: `meets the age rule from ${fromText}, the first day of the month of the ${age}th birthday`,
          vi: `đủ tuổi từ ${fromText} (ngày 1 của tháng sinh nhật ${age} tuổi)`,
          id: `memenuhi syarat usia sejak ${fromText} (tanggal 1 bulan ulang tahun ke-${age})`,
        }
      : {
          zh: `須至 ${fromText}（年滿 ${age} 歲當月 1 日）起方符合年齡資格`,
          en: `meets the age rule only from ${fromText}, the first day of the month of the ${age}th birthday`,
          vi: `chỉ đủ tuổi từ ${fromText} (ngày 1 của tháng sinh nhật ${age} tuổi)`,
          id: `baru memenuhi syarat usia mulai ${fromText} (tanggal 1 bulan ulang tahun ke-${age})`,
        },
  );
  return { eligible: facts.district !== null && old && indigenous !== false, reasons: list };
}

/**
 * The general card is the fallback: a Taoyuan household at age 7+, a resident's spouse with a residence
 * permit, or a university student in Taoyuan — and only when no other card type applies.
 */
function assessGeneral(facts: Facts, others: readonly CardType[]): Assessment {
  const { input, rules } = facts;
  const list: Reason[] = [];
  const byHousehold = facts.district !== null && facts.age >= rules.ages.general;
  if (facts.district !== null) {
    list.push(
      facts.age >= rules.ages.general
        ? {
            zh: `設籍${rules.city}且年滿 ${rules.ages.general} 歲`,
            en: `household registered in ${rules.city} and aged ${rules.ages.general} or over`,
            vi: `có hộ khẩu tại ${rules.city} và từ ${rules.ages.general} tuổi trở lên`,
            id: `terdaftar sebagai penduduk ${rules.city} dan berusia ${rules.ages.general} tahun ke atas`,
          }
        : {
            zh: `設籍${rules.city}但未滿 ${rules.ages.general} 歲`,
            en: `household registered in ${rules.city} but under ${rules.ages.general}`,
            vi: `có hộ khẩu tại ${rules.city} nhưng chưa đủ ${rules.ages.general} tuổi`,
            id: `terdaftar sebagai penduduk ${rules.city} tetapi belum berusia ${rules.ages.general} tahun`,
          },
    );
  } else {
    list.push(facts.householdReason);
  }
  const spouse = input.documents.spouseOfResident && input.documents.residencePermit;
  if (spouse) list.push(reasons.spouseWithPermit);
  else if (input.documents.spouseOfResident) list.push(reasons.spouseWithoutPermit);
  if (input.documents.universityInTaoyuan) list.push(reasons.university);
  const route = byHousehold || spouse || input.documents.universityInTaoyuan;
  if (route && others.length > 0) {
    list.push({
      zh: `一般卡僅適用於不符合其他卡別者；本人符合${namesIn('zh', others)}`,
      en: `the general card is only for those eligible for no other type; eligible for: ${namesIn('en', others)}`,
      vi: `thẻ thường chỉ dành cho người không đủ điều kiện làm thẻ khác; người này đủ điều kiện làm: ${namesIn('vi', others)}`,
      id: `kartu umum hanya untuk yang tidak memenuhi syarat kartu lain; memenuhi syarat untuk: ${namesIn('id', others)}`,
    });
  }
  return { eligible: route && others.length === 0, reasons: list };
}

function household(input: EligibilityInput, rules: CityRules): { district: string | null; householdReason: Reason } {
  const h = input.household;
  if (h === null) {
    return {
      district: null,
      householdReason: {
        zh: `未設籍${rules.city}`,
        en: `no household registration in ${rules.city}`,
        vi: `không có hộ khẩu tại ${rules.city}`,
        id: `tidak terdaftar sebagai penduduk ${rules.city}`,
      },
    };
  }
  if (h.city !== rules.city) {
    return {
      district: null,
      householdReason: {
        zh: `戶籍在${h.city}，非${rules.city}`,
        en: `household registered in ${h.city}, not ${rules.city}`,
        vi: `hộ khẩu ở ${h.city}, không phải ${rules.city}`,
        id: `terdaftar sebagai penduduk ${h.city}, bukan ${rules.city}`,
      },
    };
  }
  if (!rules.districts.includes(h.district)) {
    return {
      district: null,
      householdReason: {
        zh: `「${h.district}」不是${rules.city}的行政區`,
        en: `'${h.district}' is not a district of ${rules.city}`,
        vi: `"${h.district}" không phải là quận của ${rules.city}`,
        id: `"${h.district}" bukan distrik di ${rules.city}`,
      },
    };
  }
  return {
    district: h.district,
    householdReason: {
      zh: `設籍${rules.city}${h.district}`,
      en: `household registered in ${h.district}, ${rules.city}`,
      vi: `có hộ khẩu tại ${h.district}, ${rules.city}`,
      id: `terdaftar sebagai penduduk ${h.district}, ${rules.city}`,
    },
  };
}

function all(householdOk: boolean, list: Reason[], condition: boolean, reason: Reason): Assessment {
  list.push(reason);
  return { eligible: householdOk && condition, reasons: list };
}

function holds(input: EligibilityInput, rules: CityRules, type: CardType): boolean {
  return input.heldCards.some((card) => card.type === type && rules.replacementStatuses.includes(card.status));
}

function exclusivePartners(type: CardType, offered: readonly CardType[], assessments: readonly Assessment[], facts: Facts): CardType[] {
  const partners: CardType[] = [];
  for (const group of facts.rules.exclusivityGroups) {
    if (!group.includes(type)) continue;
    for (const other of group) {
      if (other === type || partners.includes(other)) continue;
      const index = offered.indexOf(other);
      if ((index !== -1 && assessments[index]?.eligible === true) || holds(facts.input, facts.rules, other)) partners.push(other);
    }
  }
  return partners;
}

function exclusivityReason(type: CardType, partners: readonly CardType[], input: EligibilityInput, rules: CityRules): Reason {
  const held = partners.filter((other) => holds(input, rules, other));
  const me = cardTypeNames[type];
  if (held.length > 0) {
    return {
      zh: `${me.zh}與${namesIn('zh', partners)}只能擇一；已持有${namesIn('zh', held)}，改辦須放棄原卡`,
      en: `the ${me.en} and the ${namesIn('en', partners)} are mutually exclusive; already holds the ${namesIn('en', held)}, which must be given up to take this one`,
      vi: `${me.vi} và ${namesIn('vi', partners)} chỉ được chọn một; đã có ${namesIn('vi', held)}, muốn đổi thì phải bỏ thẻ cũ`,
      id: `${me.id} dan ${namesIn('id', partners)} hanya boleh pilih salah satu; sudah memiliki ${namesIn('id', held)}, jika ingin beralih, kartu lama harus dilepaskan`,
    };
  }
  return {
    zh: `${me.zh}與${namesIn('zh', partners)}只能擇一，由申請人選擇`,
    en: `the ${me.en} and the ${namesIn('en', partners)} are mutually exclusive: the applicant chooses one`,
    vi: `${me.vi} và ${namesIn('vi', partners)} chỉ được chọn một: người nộp đơn tự chọn`,
    id: `${me.id} dan ${namesIn('id', partners)} hanya boleh pilih salah satu: pemohon yang memilih`,
  };
}

function monthlyPoints(type: CardType, facts: Facts): number {
  const points = facts.rules.monthlyPoints;
  const override = facts.district === null ? undefined : points.byDistrict[facts.district]?.[type];
  return override ?? points.byCardType[type];
}

/** Card type names joined as a list in one language. */
function namesIn(language: keyof Reason, types: readonly CardType[]): string {
  return types.map((t) => cardTypeNames[t][language]).join(language === 'zh' ? '、' : ', ');
}

/** The fixed reasons (the others are built from the facts above). */
export const eligibilityReasons = {
  hasCertificate: { zh: '持有身心障礙證明', en: 'holds a disability certificate', vi: 'có giấy chứng nhận khuyết tật', id: 'memiliki sertifikat penyandang disabilitas' },
  noCertificate: { zh: '未持有身心障礙證明', en: 'holds no disability certificate', vi: 'không có giấy chứng nhận khuyết tật', id: 'tidak memiliki sertifikat penyandang disabilitas' },
  companionNeeded: {
    zh: '身心障礙證明註記「必要陪伴者」',
    en: 'the disability certificate notes that a companion is necessary',
    vi: 'giấy chứng nhận khuyết tật có ghi "cần người đi kèm"',
    id: 'sertifikat penyandang disabilitas mencatat "perlu pendamping"',
  },
  companionNotNeeded: {
    zh: '身心障礙證明未註記必要陪伴者',
    en: 'the disability certificate does not note a necessary companion',
    vi: 'giấy chứng nhận khuyết tật không ghi cần người đi kèm',
    id: 'sertifikat penyandang disabilitas tidak mencatat perlu pendamping',
  },
  notAStudent: {
    zh: '非桃園市國小、國中或市立高中在學學生',
    en: 'not enrolled at a Taoyuan elementary, junior-high or city senior-high school',
    vi: 'không phải học sinh tiểu học, trung học cơ sở hoặc trung học phổ thông thành phố tại Đào Viên',
    id: 'bukan murid SD atau SMP di Taoyuan, atau SMA negeri Kota Taoyuan',
  },
  cityStaff: {
    zh: '桃園市政府所屬機關學校員工：經人事單位申辦',
    en: 'city government staff: applied for through the personnel office',
    vi: 'nhân viên cơ quan, trường học của chính quyền thành phố Đào Viên: làm thẻ qua phòng nhân sự',
    id: 'pegawai instansi atau sekolah Pemerintah Kota Taoyuan: diajukan lewat bagian kepegawaian',
  },
  notCityStaff: {
    zh: '非桃園市政府所屬機關學校員工',
    en: 'not on the city government staff',
    vi: 'không phải nhân viên của chính quyền thành phố Đào Viên',
    id: 'bukan pegawai Pemerintah Kota Taoyuan',
  },
  indigenous: { zh: '具原住民身分', en: 'has indigenous status', vi: 'có thân phận người bản địa', id: 'berstatus penduduk asli' },
  notIndigenous: { zh: '不具原住民身分', en: 'has no indigenous status', vi: 'không có thân phận người bản địa', id: 'tidak berstatus penduduk asli' },
  spouseWithPermit: {
    zh: '國人之外籍、大陸或港澳配偶，持有居留證',
    en: 'foreign, PRC, Hong Kong or Macau spouse of a resident holding a residence permit',
    vi: 'vợ/chồng người nước ngoài, Trung Quốc đại lục, Hồng Kông hoặc Ma Cao của công dân Đài Loan, có thẻ cư trú (ARC)',
    id: 'pasangan asing, Tiongkok, Hong Kong, atau Makau dari warga Taiwan, memiliki Kartu Izin Tinggal (ARC)',
  },
  spouseWithoutPermit: {
    zh: '國人配偶但未持有居留證',
    en: "a resident's spouse without a residence permit",
    vi: 'vợ/chồng của công dân Đài Loan nhưng chưa có thẻ cư trú (ARC)',
    id: 'pasangan warga Taiwan tetapi belum memiliki Kartu Izin Tinggal (ARC)',
  },
  university: { zh: '桃園市大專院校在學學生', en: 'a university student in Taoyuan', vi: 'sinh viên đại học, cao đẳng tại Đào Viên', id: 'mahasiswa di Taoyuan' },
} as const satisfies Record<string, Reason>;
const reasons = eligibilityReasons;

/** Where a student studies, as it fits into "enrolled at ...". */
const schoolNames = {
  elementary: { zh: '桃園市國小', en: 'elementary school', vi: 'tiểu học tại Đào Viên', id: 'SD di Taoyuan' },
  'junior-high': { zh: '桃園市國中', en: 'junior-high school', vi: 'trung học cơ sở tại Đào Viên', id: 'SMP di Taoyuan' },
  'senior-high': { zh: '桃園市立高中', en: 'city senior-high school', vi: 'trung học phổ thông thành phố Đào Viên', id: 'SMA negeri Kota Taoyuan' },
} as const satisfies Record<string, Reason>;

function requireDate(text: string, field: string): CalendarDate {
  const date = parseIsoDate(text);
  if (date === null) throw new TypeError(`decideEligibility: ${field} is not a YYYY-MM-DD date (validate with eligibilityInputSchema)`);
  return date;
}
