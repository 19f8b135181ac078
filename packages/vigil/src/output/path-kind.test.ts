import { describe, expect, it } from "vitest";
import { pathKind } from "./path-kind.js";

describe("pathKind", () => {
  it.each([
    ["src/Symfony/Component/Lock/Tests/Store/MongoDbStoreTest.php", "test"],
    ["src/Symfony/Contracts/HttpClient/Test/HttpClientTestCase.php", "test"],
    ["pkg/client/client_test.go", "test"],
    ["web/src/api.test.ts", "test"],
    ["web/src/api.spec.jsx", "test"],
    ["tests/conftest.py", "test"],
    ["app/test_settings.py", "test"],
    ["lib/__fixtures__/token.json", "test"],
    ["services/auth/testdata/creds.env", "test"],
    ["integration-tests/setup.sh", "test"],
    ["spec/models/user_spec.rb", "test"],
    ["C:\\work\\app\\Tests\\Unit\\LoginTest.cs", "test"],
    ["docs/configuration.md", "documentation"],
    ["README.md", "documentation"],
    ["README", "documentation"],
    ["UPGRADE-6.0.md", "documentation"],
    ["examples/deploy/main.tf", "documentation"],
    ["config/.env.example", "documentation"],
    ["phpunit.xml.dist", "documentation"],
    ["config/settings_example.yml", "documentation"],
    ["vendor/acme/sdk/src/Client.php", "vendored"],
    ["web/node_modules/pkg/test/fixture.js", "vendored"],
    ["third_party/zlib/zconf.h", "vendored"],
    ["src/config/settings.env", "code"],
    ["deploy/prod.env", "code"],
    ["src/testimonials/page.tsx", "code"],
    ["src/contest/rules.py", "code"],
    ["lib/latest.js", "code"],
    ["src/Security/Authenticator.php", "code"],
    ["-", "code"],
  ])("%s is %s", (path, kind) => {
    expect(pathKind(path)).toBe(kind);
  });
});
