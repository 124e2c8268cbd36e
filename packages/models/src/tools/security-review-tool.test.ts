import { describe, expect, it } from 'vitest';
import { createSecurityReviewTool } from './security-review-tool.ts';

describe('security review tool', () => {
  it('returns the CWE, line and safer alternative of a vulnerability in the code it is given', async () => {
    const review = createSecurityReviewTool();
    const output = await review.execute!(
      {
        code: "import subprocess\nfrom flask import request\n\n@app.route('/ping')\ndef ping():\n    host = request.args.get('host')\n    return subprocess.check_output('ping -c 1 ' + host, shell=True)\n",
        language: 'python',
        path: 'app.py',
      },
      { toolCallId: 'call_1', messages: [] },
    );
    expect(output).toMatchObject({ findings: [expect.objectContaining({ cwe: 'CWE-78', line: 7 })] });
  });

  it('finds nothing in safe code', async () => {
    const review = createSecurityReviewTool();
    const output = await review.execute!(
      { code: "import subprocess\nsubprocess.run(['ls', '-l'], check=True)\n", language: 'python' },
      { toolCallId: 'call_2', messages: [] },
    );
    expect(output).toMatchObject({ findings: [] });
  });
});
