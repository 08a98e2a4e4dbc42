import { Widget } from '@lumino/widgets';

import { DataplaneClient } from '../client';
import { ISubmittable } from '../forms/formDialog';
import { errorMessage } from '../notifications';
import { IPipeline, IPipelineProblem } from '../types';
import { NEW_PIPELINE_YAML, problemLine, stepsToYaml } from './yaml';

/**
 * The YAML editor of a pipeline, in a dialog: a name (for a new one), the steps as YAML, and the
 * server's validation of what is typed, each message shown with the line of the step at fault.
 */
export class PipelineEditor extends Widget implements ISubmittable {
  constructor(
    private readonly _client: DataplaneClient,
    private readonly _project: string,
    private readonly _saved?: IPipeline
  ) {
    super();
    this.addClass('jp-Dataplane-pipelineEditor');
    const node = this.node;
    if (!_saved) {
      const label = document.createElement('label');
      label.textContent = 'Name ';
      this.nameInput = document.createElement('input');
      this.nameInput.className = 'jp-mod-styled jp-Dataplane-pipelineName';
      label.appendChild(this.nameInput);
      node.appendChild(label);
    }
    this.textarea = document.createElement('textarea');
    this.textarea.className = 'jp-mod-styled jp-Dataplane-pipelineYaml';
    this.textarea.spellcheck = false;
    this.textarea.rows = 16;
    this.textarea.value = _saved ? stepsToYaml(_saved.steps) : NEW_PIPELINE_YAML;
    this.textarea.addEventListener('input', () => this._scheduleValidation());
    node.appendChild(this.textarea);
    this.problems = document.createElement('ul');
    this.problems.className = 'jp-Dataplane-problems';
    node.appendChild(this.problems);
    this.error = document.createElement('p');
    this.error.className = 'jp-Dataplane-itemError';
    node.appendChild(this.error);
    this._scheduleValidation();
  }

  readonly nameInput: HTMLInputElement | null = null;
  readonly textarea: HTMLTextAreaElement;
  readonly problems: HTMLUListElement;
  readonly error: HTMLParagraphElement;

  /** Validate now (the dialog also does it 400 ms after each keystroke). */
  async validate(): Promise<IPipelineProblem[]> {
    const yaml = this.textarea.value;
    let problems: IPipelineProblem[];
    try {
      problems = (await this._client.validatePipeline(this._project, yaml)).problems;
    } catch (error) {
      problems = [{ index: null, step: null, field: null, message: errorMessage(error) }];
    }
    if (yaml !== this.textarea.value) {
      return problems; // typed meanwhile: the next validation shows
    }
    this.problems.replaceChildren(
      ...problems.map(problem => {
        const item = document.createElement('li');
        item.className = 'jp-Dataplane-problem';
        const line = problemLine(yaml, problem);
        item.dataset.step = problem.step ?? '';
        item.dataset.field = problem.field ?? '';
        item.textContent = (line ? `line ${line}: ` : '') + problem.message;
        return item;
      })
    );
    this.node.dataset.valid = problems.length === 0 ? 'true' : 'false';
    return problems;
  }

  async submit(): Promise<boolean> {
    this.error.textContent = '';
    const yaml = this.textarea.value;
    try {
      if (this._saved) {
        await this._client.updatePipeline(this._project, this._saved.name, yaml);
      } else {
        const name = this.nameInput?.value.trim() ?? '';
        if (!name) {
          this.error.textContent = 'Give the pipeline a name.';
          return false;
        }
        await this._client.createPipeline(this._project, name, yaml);
      }
    } catch (error) {
      this.error.textContent = errorMessage(error);
      void this.validate();
      return false;
    }
    return true;
  }

  private _scheduleValidation(): void {
    window.clearTimeout(this._timer);
    this._timer = window.setTimeout(() => void this.validate(), 400);
  }

  private _timer = 0;
}
