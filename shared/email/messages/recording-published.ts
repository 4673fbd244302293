/** The recording, to the seminar's registrants. */
import { pick, quote, type Lang } from '../../text.js';
import { pastRegistrantFooter, type Draft, type ForRegistrant } from '../draft.js';
import { recordingDraft } from '../seminar-parts.js';

export interface RecordingPublishedMessage extends ForRegistrant {
  kind: 'recording-published';
  recordingUrl: string;
  /** The link corrects one sent before. */
  correction?: boolean;
}

export function recordingPublished(m: RecordingPublishedMessage, lang: Lang): Draft {
  const s = m.seminar;
  const intro = pick(
    lang,
    `Takk for interessen for ${quote(lang, s.title)}. Opptaket er nå tilgjengelig.`,
    `Thank you for your interest in ${quote(lang, s.title)}. The recording is now available.`,
  );
  return recordingDraft(s, m.recordingUrl, intro, pastRegistrantFooter(m, lang), lang, m.correction);
}

