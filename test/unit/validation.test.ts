/**
 * The schemas are zod/mini with zod's English messages (shared/zod-locale.ts): the field errors an API
 * client gets name the field and say what is wrong in the words classic zod used.
 */
import { describe, expect, it } from 'vitest';
import { SeminarUpdated } from '../../events/index.js';
import { DeadlineInput, DeadlineUpdate, SeminarInput } from '../../shared/domain/admin-inputs.js';
import { RegistrationInput } from '../../shared/domain/public-inputs.js';
import { fieldErrors, validationProblem } from '../../shared/http/responses.js';

const errorsOf = (r: { success: boolean; error?: Parameters<typeof fieldErrors>[0] }) => (r.success ? [] : fieldErrors(r.error!));

describe('validation messages', () => {
  it('default messages are English and name the field', () => {
    expect(errorsOf(RegistrationInput.safeParse({ email: 'a@b.no', name: '', mode: 'bus' }))).toEqual([
      { field: 'name', message: 'Too small: expected string to have >=1 characters' },
      { field: 'mode', message: 'Invalid option: expected one of "physical"|"digital"' },
    ]);
    expect(errorsOf(SeminarUpdated.schema.safeParse({ version: 2, seminarId: 's', start: 'x', previousStart: '2030-01-01T10:00:00Z', changedFields: [0] }))).toEqual([
      { field: 'version', message: 'Invalid input: expected 1' },
      { field: 'start', message: 'Invalid ISO datetime' },
      { field: 'changedFields.0', message: 'Invalid input: expected string, received number' },
    ]);
  });

  it('our own messages and refinements stay as written', () => {
    expect(errorsOf(RegistrationInput.safeParse({ email: 'nope', name: 'N', mode: 'physical' }))).toEqual([{ field: 'email', message: 'a valid email address' }]);
    expect(errorsOf(SeminarInput.safeParse({ title: 'T', start: '2030-01-01T12:00:00Z', end: '2030-01-01T10:00:00Z', capacity: 1 }))).toEqual([
      { field: 'end', message: 'must be after start' },
    ]);
    expect(errorsOf(DeadlineUpdate.safeParse({}))).toEqual([{ field: '(body)', message: 'give at least one of round, deadline, reminderOffsets, guidanceSessions' }]);
    expect(errorsOf(DeadlineInput.safeParse({ round: 'R', deadline: '2030-02-30', reminderOffsets: [0] }))).toEqual([
      { field: 'deadline', message: expect.stringMatching(/^an ISO time with offset/) },
      { field: 'reminderOffsets.0', message: 'at least 1 day' },
    ]);
  });

  it('defaults and transforms apply', () => {
    const r = RegistrationInput.parse({ email: ' Ola@DFO.no ', name: 'Ola\nNordmann', mode: 'digital' });
    expect(r).toEqual({ email: 'ola@dfo.no', name: 'Ola Nordmann', organisation: '', mode: 'digital', digitalIfFull: false, joinWaitlist: false, language: 'nb' });
    expect(DeadlineInput.parse({ round: 'R', deadline: '2030-01-17', guidanceSessions: ['a', 'a'] }).guidanceSessions).toEqual(['a']);
  });

  it('a handler can report its own field errors in the same shape', () => {
    const p = validationProblem({ issues: [{ path: ['capacity'], message: 'must be at least the 3 seats already taken' }] });
    expect(p.status).toBe(400);
    expect(p.detail).toBe('The body has 1 invalid field: capacity');
    expect(p.errors).toEqual([{ field: 'capacity', message: 'must be at least the 3 seats already taken' }]);
  });
});
