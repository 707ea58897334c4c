import * as path from 'path';
import '../../lib/testing/setup';

describe('the setup file', () => {
  it('registers toAllow and toDeny with expect.extend', () => {
    const dist = path.join(__dirname, '../../dist');
    expect(dist).toAllow('system:serviceaccount:dev:secret-access-sa', 'get', 'secrets/api-access-secret', 'dev');
    expect(dist).toDeny('system:serviceaccount:dev:no-access-sa', 'get', 'secrets/api-access-secret', 'dev');
  });
});
