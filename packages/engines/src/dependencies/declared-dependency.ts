import type { Ecosystem } from './package-document.ts';

/** Where a dependency was declared: a manifest position, or a character range of checked text. */
export type DependencySource =
  | {
      file: string;
      /** 1-based. */
      line?: number | undefined;
      /** 1-based, of the version text when there is one, else of the name. */
      column?: number | undefined;
      /** 0-based character offset of the version text (`declared`) in the file, used to edit it in place. */
      offset?: number | undefined;
    }
  | { codeRange: { start: number; end: number } };

/** One dependency found in a manifest, lockfile, import statement or install command. */
export interface DeclaredDependency {
  name: string;
  ecosystem: Ecosystem;
  /** The version text as written (`^4.0.0-rc.1`, `==1.2`, `beta`); empty when none was given. */
  declared: string;
  source: DependencySource;
  origin: 'manifest' | 'lockfile' | 'import' | 'install-command';
  /** `dependencies`, `devDependencies`, `project.optional-dependencies.test`, `tool.poetry.dependencies` ... */
  section?: string | undefined;
  /** The version a lockfile pins. */
  locked?: string | undefined;
  /** Python extras (`requests[socks]`) and environment marker (`; python_version < "3.8"`). */
  extras?: string[] | undefined;
  marker?: string | undefined;
  /** For imports: the module name as written (`yaml` for PyYAML). */
  importName?: string | undefined;
  /** For install commands: the command's tool and range, and the package argument as written (`x@beta`). */
  installCommand?: { tool: InstallTool; start: number; end: number; argument: string } | undefined;
}

/** The package managers whose install commands are recognised. */
export type InstallTool = 'npm' | 'yarn' | 'pnpm' | 'bun' | 'pip' | 'poetry' | 'uv';
