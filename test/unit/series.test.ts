/** The pure rules of seminar series: the name emails and pages show, and when a series takes subscribers. */
import { describe, expect, it } from 'vitest';
import { humaniseSeriesId, seriesIsOpen, seriesName } from '../../shared/domain/series.js';

const at = (updatedAt: string, seriesTitle?: string, seriesTitleEn?: string) => ({ updatedAt, seriesTitle, seriesTitleEn });

describe('series name', () => {
  it('humanises an id when no seminar names the series', () => {
    expect(humaniseSeriesId('partnerforum-samordning')).toBe('Partnerforum samordning');
    expect(humaniseSeriesId('digitalisering__2027')).toBe('Digitalisering 2027');
    expect(seriesName('partnerforum-samordning', 'nb', [at('2026-01-01T00:00:00Z')])).toBe('Partnerforum samordning');
  });

  it('takes the title of the most recently updated seminar that has one, in the reader language', () => {
    const seminars = [
      at('2026-01-01T00:00:00Z', 'Gammelt navn'),
      at('2026-03-01T00:00:00Z', 'Partnerforums seminarserie', "The partner forum's series"),
      at('2026-05-01T00:00:00Z'),
    ];
    expect(seriesName('x', 'nb', seminars)).toBe('Partnerforums seminarserie');
    expect(seriesName('x', 'en', seminars)).toBe("The partner forum's series");
    expect(seriesName('x', 'en', [at('2026-01-01T00:00:00Z', 'Bare norsk')])).toBe('Bare norsk');
  });

  it('prefers the seminar at hand when it names the series', () => {
    const seminars = [at('2026-03-01T00:00:00Z', 'Seriens navn')];
    expect(seriesName('x', 'nb', seminars, { seriesTitle: 'Dette seminarets navn' })).toBe('Dette seminarets navn');
    expect(seriesName('x', 'nb', seminars, {})).toBe('Seriens navn');
  });
});

describe('series open for subscriptions', () => {
  it('while one of its seminars is published; drafts and cancelled ones do not count', () => {
    expect(seriesIsOpen([{ status: 'draft' }, { status: 'scheduled' }])).toBe(true);
    expect(seriesIsOpen([{ status: 'draft' }, { status: 'cancelled' }])).toBe(false);
    expect(seriesIsOpen([])).toBe(false);
  });
});
