/**
 * The `cognito:groups` claim as the HTTP API's JWT authorizer flattens it (`"[a b]"`): split on spaces
 * only, since Cognito group names may hold commas but no spaces, and compared by exact name.
 */
import { describe, expect, it } from 'vitest';
import { groupsOfClaim } from '../../shared/http/groups.js';

describe('groupsOfClaim', () => {
  it('splits the flattened "[a b]" form on spaces', () => {
    expect(groupsOfClaim('[readers admins]')).toEqual(['readers', 'admins']);
    expect(groupsOfClaim('[admins]')).toEqual(['admins']);
    expect(groupsOfClaim('[]')).toEqual([]);
  });

  it('keeps a comma inside a group name: "[readers,admins]" is one group, not admins', () => {
    expect(groupsOfClaim('[readers,admins]')).toEqual(['readers,admins']);
    expect(groupsOfClaim('[readers,admins]')).not.toContain('admins');
    expect(groupsOfClaim('[a,b c]')).toEqual(['a,b', 'c']);
  });

  it('takes a real array element by element, and nothing from other types', () => {
    expect(groupsOfClaim(['readers,admins'])).toEqual(['readers,admins']);
    expect(groupsOfClaim(['readers', 'admins'])).toEqual(['readers', 'admins']);
    expect(groupsOfClaim(undefined)).toEqual([]);
    expect(groupsOfClaim(42)).toEqual([]);
  });
});
