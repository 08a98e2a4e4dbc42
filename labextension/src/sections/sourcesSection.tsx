import {
  LabIcon,
  ReactWidget,
  Toolbar,
  ToolbarButton,
  ToolbarButtonComponent,
  UseSignal,
  addIcon,
  checkIcon,
  deleteIcon,
  editIcon
} from '@jupyterlab/ui-components';
import * as React from 'react';

import { confirmDelete } from '../dialogs';
import { ITestVerdict, TestState, capitalize, testOutcome } from '../forms/common';
import { ISubmittable, showForm } from '../forms/formDialog';
import { notifyError, notifySuccess } from '../notifications';
import { SourcesModel } from '../sourcesModel';
import { describeEntries } from './exportRuns';

export { describeEntries };

/** What a sources section lists: a connector, a datasource or an exporter. */
export interface ISourceItem {
  id: string;
  name: string;
  kind: string;
}

/** How a sources section names what it lists and what its items' buttons say. */
export interface ISourcesSectionOptions {
  /** What the section lists, singular: "connector". */
  what: 'connector' | 'datasource' | 'exporter';
  /** What the section says when the project has none. */
  emptyText: string;
  /** Tooltip of the items' "Test" button. */
  testTooltip: string;
  /** What deleting an item does beyond removing it, said when asking. */
  deleteConsequence?: string;
  /** The client's routes of what the section lists, e.g. `client.connectors`. */
  resource: {
    test(project: string, name: string): Promise<ITestVerdict>;
    remove(project: string, name: string): Promise<void>;
  };
}

/**
 * An accordion section listing one kind of object of the current project, with a "New" button
 * in its title bar (the side panel puts a section's `toolbar` there). Each item has its name and
 * buttons (the section's own, then Test, Edit and Delete), its kind and details, and the outcome
 * of its last test.
 */
export abstract class SourcesSection<T extends ISourceItem> extends ReactWidget {
  constructor(
    protected readonly sources: SourcesModel,
    private readonly _options: ISourcesSectionOptions
  ) {
    super();
    const what = _options.what;
    this.addClass('jp-Dataplane-section');
    this.addClass(`jp-Dataplane-${what}s`);
    this.title.label = `${capitalize(what)}s`;
    this.toolbar.addItem(
      'new',
      new ToolbarButton({
        icon: addIcon,
        tooltip: `New ${what}`,
        className: 'jp-Dataplane-newButton',
        onClick: () => void this.openForm()
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

  /** The project's objects of the section's kind. */
  protected abstract get items(): readonly T[];

  /** The form that creates an object, or edits `saved`. */
  protected abstract form(saved?: T): ISubmittable;

  /** What an item says after its kind: where it points. */
  protected abstract renderDetail(item: T): React.ReactNode;

  /** The item's own buttons, before Test, Edit and Delete. */
  protected itemActions(_item: T, _project: string): IItemAction[] {
    return [];
  }

  /** What an item shows between its details and its test outcome. */
  protected renderStatus(_item: T): React.ReactNode {
    return null;
  }

  /** What an item shows under its test outcome. */
  protected renderMore(_item: T, _project: string): React.ReactNode {
    return null;
  }

  /** The list, once the project's lists are loaded. */
  protected renderList(): JSX.Element {
    const items = this.items;
    if (items.length === 0) {
      return this.empty;
    }
    return <ul className="jp-Dataplane-list">{items.map(item => this.renderItem(item))}</ul>;
  }

  /** Outcome of the last "Test" of each listed object, by name. */
  private tests = new Map<string, TestState>();

  private renderItem(item: T): JSX.Element {
    const { sources } = this;
    const { what, testTooltip, deleteConsequence, resource } = this._options;
    const project = sources.project as string;
    const name = item.name;
    return (
      <li key={item.id} className={`jp-Dataplane-item jp-Dataplane-${what}`} data-name={name}>
        <div className="jp-Dataplane-itemRow">
          <span className="jp-Dataplane-itemName">{name}</span>
          <ItemActions
            actions={[
              ...this.itemActions(item, project),
              {
                icon: checkIcon,
                tooltip: testTooltip,
                className: 'jp-Dataplane-test',
                onClick: () => void this.runTest(name, () => resource.test(project, name))
              },
              {
                icon: editIcon,
                tooltip: 'Edit',
                className: 'jp-Dataplane-edit',
                onClick: () => void this.edit(name, () => this.openForm(item))
              },
              {
                icon: deleteIcon,
                tooltip: 'Delete',
                className: 'jp-Dataplane-delete',
                onClick: () =>
                  void this.confirmDelete(
                    name,
                    () => resource.remove(project, name),
                    deleteConsequence
                  )
              }
            ]}
          />
        </div>
        <div className="jp-Dataplane-itemDetail">
          <span className="jp-Dataplane-kind">{sources.kind(item.kind)?.label ?? item.kind}</span>
          {this.renderDetail(item)}
        </div>
        {this.renderStatus(item)}
        <ItemTest state={this.tests.get(name)} />
        {this.renderMore(item, project)}
      </li>
    );
  }

  /** The form in a dialog: a new object, or `saved` to edit it; true once saved. */
  private openForm(saved?: T): Promise<boolean> {
    const what = this._options.what;
    return showForm({
      title: saved ? `Edit ${what} '${saved.name}'` : `New ${what}`,
      body: this.form(saved),
      acceptLabel: 'Save'
    });
  }

  /** Run a test from the list and show its outcome under the object. */
  private async runTest(name: string, test: () => Promise<ITestVerdict>): Promise<void> {
    this.tests.set(name, { status: 'running' });
    this.update();
    this.tests.set(name, await testOutcome(test));
    this.update();
  }

  /** Open an edit form; once saved, the object's last test outcome no longer holds. */
  private async edit(name: string, open: () => Promise<boolean>): Promise<void> {
    if (await open()) {
      this.tests.delete(name);
      this.update();
    }
  }

  /** Ask, then delete; the server's refusal (e.g. still in use) is notified. */
  private async confirmDelete(
    name: string,
    remove: () => Promise<void>,
    consequence = ''
  ): Promise<void> {
    const what = this._options.what;
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

  private get empty(): JSX.Element {
    return (
      <p className="jp-Dataplane-empty" data-dataplane-empty="">
        {this._options.emptyText}
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
