/** Variable scopes: the script scope and child scopes for script blocks (`$_`). Names are case-insensitive. */
import type { TrapNode } from '../language/ast.js';
import { RunBudget } from './budget.js';
import { Environment } from './automaticVariables.js';
import { toPsString } from './values.js';

export class Variables {
  private readonly values = new Map<string, unknown>();
  /** The run's budget, shared by every scope of the run (set on the script scope by the run). */
  private ownBudget: RunBudget | null = null;
  /** The environment `$env:NAME` reads (the run's: automaticVariables.ts); kept on the script scope. */
  private ownEnvironment: Environment | null = null;
  /** The `trap` statements of this scope (about_Trap), not those of the scopes around it. */
  readonly traps: TrapNode[] = [];

  constructor(private readonly parent: Variables | null = null) {
    if (parent === null) {
      this.values.set('true', true);
      this.values.set('false', false);
      this.values.set('null', null);
      this.values.set('erroractionpreference', 'Continue');
      this.values.set('confirmpreference', 'High');
      this.values.set('whatifpreference', false);
      // about_Preference_Variables: the defaults of the stream preferences.
      this.values.set('warningpreference', 'Continue');
      this.values.set('verbosepreference', 'SilentlyContinue');
      this.values.set('debugpreference', 'SilentlyContinue');
      this.values.set('informationpreference', 'SilentlyContinue');
    }
  }

  get(name: string): unknown {
    const qualified = this.qualified(name);
    if (qualified) {
      if (qualified.scope === 'env') return this.environment.get(qualified.name);
      return qualified.scope.get(qualified.name);
    }
    const key = name.toLowerCase();
    if (this.values.has(key)) return this.values.get(key);
    return this.parent ? this.parent.get(name) : null;
  }

  has(name: string): boolean {
    return this.values.has(name.toLowerCase()) || (this.parent?.has(name) ?? false);
  }

  /** Assigns in this scope (PowerShell creates the variable in the current scope). */
  set(name: string, value: unknown): void {
    const qualified = this.qualified(name);
    if (qualified) {
      if (qualified.scope === 'env')
        return this.environment.set(qualified.name, value === null ? null : toPsString(value));
      return qualified.scope.set(qualified.name, value);
    }
    const key = name.toLowerCase();
    if (key === 'true' || key === 'false' || key === 'null') {
      throw new Error(`Cannot overwrite variable ${name} because it is read-only or constant.`);
    }
    this.values.set(key, value);
  }

  /** This scope's own variables (a console session keeps them between commands: jobs/session.ts). */
  entries(): [string, unknown][] {
    return [...this.values.entries()].filter(
      ([k]) => k !== 'true' && k !== 'false' && k !== 'null',
    );
  }

  get budget(): RunBudget {
    if (this.parent) return this.parent.budget;
    this.ownBudget ??= new RunBudget();
    return this.ownBudget;
  }

  set budget(budget: RunBudget) {
    if (this.parent) this.parent.budget = budget;
    else this.ownBudget = budget;
  }

  /**
   * `$env:NAME` (about_Environment_Variables); `$global:x` and `$script:x`, the script scope (a
   * run's top, where a console session keeps its variables); `$local:x`, `$private:x` and
   * `$variable:x`, this scope (about_Scopes). Other prefixes (`function:`) are plain names.
   */
  private qualified(name: string): { scope: Variables | 'env'; name: string } | null {
    const colon = name.indexOf(':');
    if (colon <= 0) return null;
    const rest = name.slice(colon + 1);
    switch (name.slice(0, colon).toLowerCase()) {
      case 'env':
        return { scope: 'env', name: rest };
      case 'global':
      case 'script':
        return { scope: this.root(), name: rest };
      case 'local':
      case 'private':
      case 'variable':
        return { scope: this, name: rest };
      default:
        return null;
    }
  }

  private root(): Variables {
    return this.parent ? this.parent.root() : this;
  }

  get environment(): Environment {
    const root = this.root();
    root.ownEnvironment ??= new Environment({});
    return root.ownEnvironment;
  }

  set environment(environment: Environment) {
    this.root().ownEnvironment = environment;
  }

  child(): Variables {
    return new Variables(this);
  }
}
