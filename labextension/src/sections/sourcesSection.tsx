import {
  LabIcon,
  ReactWidget,
  Toolbar,
  ToolbarButton,
  ToolbarButtonComponent,
  UseSignal,
  addIcon
} from '@jupyterlab/ui-components';
import * as React from 'react';

import { confirmDelete } from '../dialogs';
import { TestState } from '../forms/common';
import { errorMessage, notifyError, notifySuccess } from '../notifications';
import { SourcesModel } from '../sourcesModel';
import { describeEntries } from './exportRuns';

export { describeEntries };

/**
 * An accordion section listing one kind of object of the current project, with a "New" button
 * in its title bar (the side panel puts a section's `toolbar` there).
 */
export abstract class SourcesSection extends ReactWidget {
  constructor(
    protected readonly sources: SourcesModel,
    options: { label: string; newLabel: string; className: string }
  ) {
    super();
    this.addClass('jp-Dataplane-section');
    this.addClass(options.className);
    this.title.label = options.label;
    this.toolbar.addItem(
      'new',
      new ToolbarButton({
        icon: addIcon,
        tooltip: options.newLabel,
        className: 'jp-Dataplane-newButton',
        onClick: () => void this.create()
      })
    );
  }

  /** The section's title-bar buttons. */
  readonly toolbar = new Toolbar();

  render(): JSX.Element {
    return (
      <UseSignal signal={this.sources.changed}>{() => this.renderState()}</UseSignal>
    );
  }

  /** Open the form that creates a new object. */
  protected abstract create(): Promise<void>;

  /** The list, once the project's lists are loaded. */
  protected abstract renderList(): JSX.Element;

  /** What the section says when the project has none. */
  protected abstract readonly emptyText: string;

  /** Outcome of the last "Test" of each listed object, by name. */
  protected tests = new Map<string, TestState>();

  /** Run a test from the list and show its outcome under the object. */
  protected async runTest(
    name: string,
    test: () => Promise<{ ok: boolean; message: string }>
  ): Promise<void> {
    this.tests.set(name, { status: 'running' });
    this.update();
    let state: TestState;
    try {
      const result = await test();
      state = { status: result.ok ? 'ok' : 'failed', message: result.message };
    } catch (error) {
      state = { status: 'failed', message: errorMessage(error) };
    }
    this.tests.set(name, state);
    this.update();
  }

  /** Open an edit form; once saved, the object's last test outcome no longer holds. */
  protected async edit(name: string, open: () => Promise<boolean>): Promise<void> {
    if (await open()) {
      this.tests.delete(name);
      this.update();
    }
  }

  /** Ask, then delete; the server's refusal (e.g. still in use) is notified. */
  protected async confirmDelete(
    what: string,
    name: string,
    remove: () => Promise<void>,
    consequence = ''
  ): Promise<void> {
    const body = `Delete ${what} '${name}'?${consequence ? ' ' + consequence : ''}`;
    if (!(await confirmDelete(`Delete ${what}`, body))) {
      return;
    }
    try {
      await remove();
      this.tests.delete(name);
      notifySuccess(`${capitalize(what)} '${name}' deleted`);
    } catch (error) {
      notifyError(`Could not delete ${what} '${name}'`, error);
    }
    await this.sources.refresh();
  }

  private renderState(): JSX.Element {
    const sources = this.sources;
    if (sources.data.serverExtension === 'missing') {
      return <></>;
    }
    if (sources.project === null) {
      return <p className="jp-Dataplane-empty">No projects yet.</p>;
    }
    if (!sources.loaded) {
      return sources.error ? (
        <p className="jp-Dataplane-empty jp-Dataplane-error">
          Could not load: {sources.error}
        </p>
      ) : (
        <p className="jp-Dataplane-empty" data-dataplane-empty="">Loading…</p>
      );
    }
    return this.renderList();
  }

  protected get empty(): JSX.Element {
    return (
      <p className="jp-Dataplane-empty" data-dataplane-empty="">
        {this.emptyText}
      </p>
    );
  }
}

/** One icon button of an item's actions. */
export interface IItemAction {
  icon: LabIcon;
  tooltip: string;
  className: string;
  onClick: () => void;
  pressed?: boolean;
}

/** The action buttons at the end of an item's row. */
export function ItemActions(props: { actions: IItemAction[] }): JSX.Element {
  return (
    <span className="jp-Dataplane-itemActions">
      {props.actions.map(action => (
        <ToolbarButtonComponent
          key={action.className}
          icon={action.icon}
          tooltip={action.tooltip}
          className={action.className}
          pressed={action.pressed}
          onClick={action.onClick}
        />
      ))}
    </span>
  );
}

/** The outcome of a list "Test" under an item. */
export function ItemTest(props: { state: TestState | undefined }): JSX.Element | null {
  const state = props.state;
  if (!state || state.status === 'idle') {
    return null;
  }
  if (state.status === 'running') {
    return <div className="jp-Dataplane-testResult jp-mod-running">Testing…</div>;
  }
  return (
    <div className={`jp-Dataplane-testResult jp-mod-${state.status}`} role="status">
      {state.message}
    </div>
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
