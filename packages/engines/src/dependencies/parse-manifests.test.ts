import { PlumbError } from '@plumb/protocol';
import { describe, expect, it } from 'vitest';
import { parsePackageJson } from './parse-package-json.ts';
import { parsePackageLock } from './parse-package-lock.ts';
import { parsePyproject, poetryToPep440 } from './parse-pyproject.ts';
import { parseRequirements } from './parse-requirements.ts';

function thrown(action: () => unknown): PlumbError {
  try {
    action();
  } catch (error) {
    if (error instanceof PlumbError) return error;
    throw error;
  }
  throw new Error('expected a PlumbError');
}

describe('parsePackageJson', () => {
  const manifest = `{
  "name": "dashboard",
  "dependencies": {
    "chart.js": "4.0.0-rc.1",
    "react": "^18.2.0",
    "local-lib": "file:../lib",
    "aliased": "npm:lodash@^4.17.21"
  },
  "devDependencies": { "vitest": "~2.1.0" }
}
`;

  it('reads every section with the line, column and offset of the version text', () => {
    const { dependencies, warnings } = parsePackageJson(manifest);
    expect(
      dependencies.map((dependency) => [dependency.name, dependency.declared, dependency.section]),
    ).toEqual([
      ['chart.js', '4.0.0-rc.1', 'dependencies'],
      ['react', '^18.2.0', 'dependencies'],
      ['lodash', '^4.17.21', 'dependencies'],
      ['vitest', '~2.1.0', 'devDependencies'],
    ]);
    const chart = dependencies[0]?.source;
    expect(chart).toMatchObject({ file: 'package.json', line: 4, column: 18 });
    expect(chart && 'offset' in chart && manifest.slice(chart.offset, (chart.offset ?? 0) + 10)).toBe(
      '4.0.0-rc.1',
    );
    const alias = dependencies[2]?.source;
    expect(alias && 'offset' in alias && manifest.slice(alias.offset, (alias.offset ?? 0) + 8)).toBe(
      '^4.17.21',
    );
    expect(warnings).toEqual([expect.stringMatching(/local-lib.*not from the registry/)]);
  });

  it('reports malformed JSON with file, line and column', () => {
    const error = thrown(() =>
      parsePackageJson('{\n  "dependencies": {\n    "a": "1.0.0",\n  }\n}', 'app/package.json'),
    );
    expect(error.code).toBe('manifest_invalid');
    expect(error.message).toMatch(/^app\/package\.json:4:3: not valid JSON/);
    expect(error.message).toMatch(/Fix the syntax/);
  });

  it('rejects wrong types with their location', () => {
    expect(thrown(() => parsePackageJson('[]')).message).toMatch(/top level must be a JSON object/);
    expect(thrown(() => parsePackageJson('{"dependencies": ["react"]}')).message).toMatch(
      /^package\.json:1:2: "dependencies" must be an object/,
    );
    expect(thrown(() => parsePackageJson('{"dependencies": {\n"react": 18}}')).message).toMatch(
      /^package\.json:2:1: the version of "react"/,
    );
    expect(thrown(() => parsePackageJson('')).message).toMatch(/^package\.json:1:1: not valid JSON/);
  });

  it('tolerates a byte-order mark and names with injection characters without executing anything', () => {
    const { dependencies } = parsePackageJson(
      '\uFEFF{"dependencies": {"$(rm -rf /)": "1.0.0", "<script>": "^1"}}',
    );
    expect(dependencies.map((dependency) => dependency.name)).toEqual(['$(rm -rf /)', '<script>']);
  });
});

describe('parsePackageLock', () => {
  it('reads lockfile v3 packages, marks direct ones and skips links and non-registry entries', () => {
    const lock = JSON.stringify(
      {
        lockfileVersion: 3,
        packages: {
          '': { name: 'app', dependencies: { react: '^18.2.0' } },
          'node_modules/react': {
            version: '18.2.0',
            resolved: 'https://registry.npmjs.org/react/-/react-18.2.0.tgz',
          },
          'node_modules/@babel/core': { version: '7.26.0', dev: true },
          'node_modules/a/node_modules/react': { version: '17.0.2' },
          'node_modules/linked': { link: true, resolved: 'packages/linked' },
          'node_modules/from-git': { version: '1.0.0', resolved: 'git+ssh://git@github.com/x/y.git#abc' },
          'packages/linked': { version: '0.0.0' },
          'node_modules/alias': { name: 'lodash', version: '4.17.21' },
        },
      },
      null,
      2,
    );
    const { packages, direct } = parsePackageLock(lock);
    expect(packages.map((entry) => `${entry.name}@${entry.declared}`)).toEqual([
      'react@18.2.0',
      '@babel/core@7.26.0',
      'react@17.0.2',
      'lodash@4.17.21',
    ]);
    expect(direct.get('react')).toBe('18.2.0');
    expect(direct.get('@babel/core')).toBe('7.26.0');
    expect(packages[0]?.source).toMatchObject({ file: 'package-lock.json', line: 10 });
  });

  it('warns about lockfile v1 instead of guessing', () => {
    const { packages, warnings } = parsePackageLock('{"lockfileVersion": 1, "dependencies": {}}');
    expect(packages).toEqual([]);
    expect(warnings[0]).toMatch(/lockfileVersion 1 .*--lockfile-version 3/);
  });
});

describe('parseRequirements', () => {
  const text = [
    '# pinned for the report job',
    'PyYAML==5.3  # CVE-2020-14343',
    'requests[socks,security] >= 2.31, <3 ; python_version >= "3.8"',
    'Django>=5.1rc1',
    '-r base.txt',
    '--index-url https://pypi.example/simple',
    '-e ./local',
    'numpy \\',
    '  ==1.26.4',
    'git+https://github.com/x/y.git',
    'flask',
    '',
  ].join('\n');

  it('reads pins, ranges, extras, markers and continuations, and reports includes as warnings', () => {
    const { dependencies, warnings } = parseRequirements(text);
    expect(dependencies.map((dependency) => [dependency.name, dependency.declared])).toEqual([
      ['PyYAML', '==5.3'],
      ['requests', '>= 2.31, <3'],
      ['Django', '>=5.1rc1'],
      ['numpy', '==1.26.4'],
      ['flask', ''],
    ]);
    expect(dependencies[1]).toMatchObject({
      extras: ['socks', 'security'],
      marker: 'python_version >= "3.8"',
    });
    const pyyaml = dependencies[0]?.source;
    expect(pyyaml).toMatchObject({ line: 2, column: 7 });
    expect(pyyaml && 'offset' in pyyaml && text.slice(pyyaml.offset, (pyyaml.offset ?? 0) + 5)).toBe('==5.3');
    expect(warnings).toEqual([
      expect.stringMatching(/:5: includes base\.txt \(-r\)/),
      expect.stringMatching(/:6: option "--index-url"/),
      expect.stringMatching(/:7: option "-e"/),
      expect.stringMatching(/:10: .*URL or path/),
    ]);
  });

  it('rejects a line that is not a requirement, with line and column', () => {
    const error = thrown(() => parseRequirements('flask\nrequests=>2.0\n', 'requirements-dev.txt'));
    expect(error.code).toBe('manifest_invalid');
    expect(error.message).toMatch(/^requirements-dev\.txt:2:9: /);
    expect(thrown(() => parseRequirements('==1.0')).message).toMatch(
      /^requirements\.txt:1:1: .*does not start with a package name/,
    );
    expect(thrown(() => parseRequirements('x ~= 1')).message).toMatch(
      /not a valid PEP 440 version specifier/,
    );
  });

  it('accepts an empty file and Windows line endings', () => {
    expect(parseRequirements('').dependencies).toEqual([]);
    expect(parseRequirements('flask==3.0.3\r\n').dependencies[0]?.declared).toBe('==3.0.3');
  });
});

describe('parsePyproject', () => {
  const pep621 = `[project]
name = "report"
dependencies = [
  "PyYAML==5.3",
  "requests>=2.31",
]

[project.optional-dependencies]
test = ["pytest~=8.3"]
`;
  const poetry = `[tool.poetry]
name = "svc"

[tool.poetry.dependencies]
python = "^3.10"
fastapi = "^0.115.0"
django = { version = "5.1rc1", extras = ["argon2"] }
local = { path = "../local" }

[tool.poetry.group.dev.dependencies]
pytest = "*"
`;

  it('reads PEP 621 dependencies and optional groups with locations', () => {
    const { dependencies } = parsePyproject(pep621);
    expect(
      dependencies.map((dependency) => [dependency.name, dependency.declared, dependency.section]),
    ).toEqual([
      ['PyYAML', '==5.3', 'project.dependencies'],
      ['requests', '>=2.31', 'project.dependencies'],
      ['pytest', '~=8.3', 'project.optional-dependencies.test'],
    ]);
    const source = dependencies[0]?.source;
    expect(source).toMatchObject({ line: 4, column: 10 });
    expect(source && 'offset' in source && pep621.slice(source.offset, (source.offset ?? 0) + 5)).toBe(
      '==5.3',
    );
  });

  it('reads Poetry tables, skipping python and path dependencies', () => {
    const { dependencies, warnings } = parsePyproject(poetry);
    expect(
      dependencies.map((dependency) => [dependency.name, dependency.declared, dependency.section]),
    ).toEqual([
      ['fastapi', '^0.115.0', 'tool.poetry.dependencies'],
      ['django', '5.1rc1', 'tool.poetry.dependencies'],
      ['pytest', '', 'tool.poetry.group.dev.dependencies'],
    ]);
    expect(dependencies[1]).toMatchObject({ extras: ['argon2'], source: { line: 7 } });
    expect(warnings).toEqual([expect.stringMatching(/local is a path, git or URL dependency/)]);
  });

  it('converts Poetry constraints to PEP 440', () => {
    expect(poetryToPep440('^1.2.3')).toBe('>=1.2.3,<2.0.0');
    expect(poetryToPep440('^0.2.3')).toBe('>=0.2.3,<0.3.0');
    expect(poetryToPep440('~1.2.3')).toBe('>=1.2.3,<1.3.0');
    expect(poetryToPep440('1.2.*')).toBe('==1.2.*');
    expect(poetryToPep440('>=1,<2')).toBe('>=1,<2');
    expect(poetryToPep440('*')).toBe('');
  });

  it('reports malformed TOML with line and column', () => {
    const error = thrown(() =>
      parsePyproject('[project]\ndependencies = ["a",\nname = 1\n', 'svc/pyproject.toml'),
    );
    expect(error.code).toBe('manifest_invalid');
    expect(error.message).toMatch(/^svc\/pyproject\.toml:\d+:\d+: not valid TOML/);
    expect(thrown(() => parsePyproject('[project]\ndependencies = "PyYAML"\n')).message).toMatch(
      /must be an array/,
    );
    expect(thrown(() => parsePyproject('[project]\ndependencies = ["PyYAML=>5"]\n')).message).toMatch(
      /^pyproject\.toml:2:\d+: /,
    );
  });
});
