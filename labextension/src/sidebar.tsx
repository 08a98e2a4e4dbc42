import { JupyterFrontEnd } from '@jupyterlab/application';
import {
  HTMLSelect,
  SidePanel,
  ToolbarButtonComponent,
  refreshIcon
} from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import { AccordionPanel, Widget } from '@lumino/widgets';
import * as React from 'react';

import { accessClasses, roleLabel } from './access';
import { dataplaneIcon } from './icons';
import { DataplaneModel } from './model';
import { DatasetsSection } from './sections/datasets';
import { ModelView } from './view';

/** Widget id of the data sidebar (tests and the command rely on it). */
export const SIDEBAR_ID = 'dataplane-sidebar';

/** Shell command that turns the server extension on. */
const ENABLE_COMMAND = 'jupyter server extension enable dataplane_jupyter';

/**
 * The "Data" sidebar: a project picker in the header, then one accordion section per kind of
 * object (datasets for now).
 */
export class DataplaneSidebar extends SidePanel {
  /**
   * @param model the state shown
   * @param commands the application's commands, which the sections' actions run
   */
  constructor(model: DataplaneModel, commands: JupyterFrontEnd['commands']) {
    super();
    this._model = model;
    this.id = SIDEBAR_ID;
    this.addClass('jp-DataplaneSidebar');
    this.title.icon = dataplaneIcon;
    this.title.caption = 'Data';

    this.header.addWidget(new ProjectHeader(model));
    // Refresh sits next to the project picker: a toolbar row for one button costs the lists
    // room.
    this.toolbar.hide();
    this.datasets = new DatasetsSection(model, commands);
    this.addWidget(this.datasets);
    model.stateChanged.connect(this._onStateChanged, this);
    // CSS flex gives the accordion what the header leaves, but the accordion lays out its
    // sections for the height it last measured: when the header grows (the project picker
    // appears after the first fetch) the last section would run under the status bar.
    this._headerResized = new ResizeObserver(() => this.content.update());
    this._headerResized.observe(this.header.node);
    // Empty sections fold to their title bar (which keeps the add button) so the datasets get
    // the room; one that fills up unfolds again, and a section the user folds or unfolds by
    // hand is left as the user set it.
    this._emptinessObserver = new MutationObserver(() => {
      if (this.isVisible) {
        this._foldEmptySections();
      }
    });
    this._emptinessObserver.observe(this.content.node, { childList: true, subtree: true });
    (this.content as AccordionPanel).expansionToggled.connect((_, index) => {
      if (!this._folding) {
        this._userSet.add((this.content as AccordionPanel).widgets[index]);
      }
    });
  }

  /** The datasets section (its file picker serves the upload command). */
  readonly datasets: DatasetsSection;

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._headerResized.disconnect();
    this._emptinessObserver.disconnect();
    this._model.stateChanged.disconnect(this._onStateChanged, this);
    super.dispose();
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this._model.active = true;
    this._sizeSectionsOnce();
    // AccordionPanel.collapse does nothing while the panel is hidden: fold now it shows.
    requestAnimationFrame(() => this._foldEmptySections());
  }

  protected onResize(msg: Widget.ResizeMessage): void {
    super.onResize(msg);
    this._sizeSectionsOnce();
  }

  protected onAfterHide(msg: Message): void {
    super.onAfterHide(msg);
    this._model.active = false;
  }

  /**
   * Relative sizes set before the accordion has a height are lost (they turn into pixels of
   * nothing), e.g. when a restored layout shows the panel at start-up: wait for one.
   */
  private _sizeSectionsOnce(): void {
    if (this._sized || this.content.node.clientHeight === 0) {
      return;
    }
    this._sized = true;
    requestAnimationFrame(() => this._giveDatasetsMoreRoom());
  }

  /**
   * The accordion splits its height evenly; the datasets list is what users come for, so it
   * gets as much as two other sections together.
   */
  private _giveDatasetsMoreRoom(): void {
    const content = this.content as AccordionPanel;
    if (content.widgets.length > 1) {
      content.setRelativeSizes(
        content.widgets.map(widget => (widget === this.datasets ? 2 : 1))
      );
    }
  }

  /**
   * Fold the sections that say they are empty (`[data-dataplane-empty]` in their body),
   * unfold those that were folded for it and now hold something.
   */
  private _foldEmptySections(): void {
    const content = this.content as AccordionPanel;
    this._folding = true;
    let changed = false;
    try {
      content.widgets.forEach((widget, index) => {
        if (widget === this.datasets || this._userSet.has(widget)) {
          return;
        }
        const empty = widget.node.querySelector('[data-dataplane-empty]') !== null;
        const expanded = content.titles[index].classList.contains('lm-mod-expanded');
        if (empty && expanded) {
          content.collapse(index);
          this._folded.add(widget);
          changed = true;
        } else if (!empty && !expanded && this._folded.has(widget)) {
          content.expand(index);
          this._folded.delete(widget);
          changed = true;
        }
      });
    } finally {
      this._folding = false;
    }
    if (changed && this._sized) {
      // the room a folded section gave up goes to the datasets, not to its neighbour
      this._giveDatasetsMoreRoom();
    }
  }

  /** Without the server extension only the header's notice is worth showing. */
  private _onStateChanged(): void {
    const missing = this._model.serverExtension === 'missing';
    this.content.setHidden(missing);
    // what the user's role does not allow is not offered (the server would answer 403)
    const allowed = accessClasses(this._model.access, this._model.role);
    for (const name of ['jp-mod-readOnly', 'jp-mod-notOwner']) {
      this.toggleClass(name, allowed.includes(name));
    }
  }

  private _emptinessObserver: MutationObserver;
  private _folded = new Set<Widget>();
  private _folding = false;
  private _headerResized: ResizeObserver;
  private _userSet = new Set<Widget>();
  private _model: DataplaneModel;
  private _sized = false;
}

/** Title, project picker and the messages that concern the whole panel. */
class ProjectHeader extends ModelView {
  constructor(model: DataplaneModel) {
    super(model);
    this.addClass('jp-Dataplane-header');
  }

  protected renderState(): JSX.Element {
    const model = this.model;
    return (
      <>
        <h2 className="jp-Dataplane-title">Data</h2>
        {model.serverExtension === 'missing' ? (
          <p className="jp-Dataplane-notice jp-Dataplane-missing">
            The dataplane_jupyter server extension is not enabled, so there is
            no data to show. Enable it with <code>{ENABLE_COMMAND}</code> and
            restart JupyterLab.
          </p>
        ) : (
          <>
            <div className="jp-Dataplane-projectRow">
          {model.projects.length > 0 && this.renderPicker()}
          <ToolbarButtonComponent
            className="jp-Dataplane-refresh"
            icon={refreshIcon}
            tooltip="Refresh"
            onClick={() => void model.refresh()}
          />
        </div>
            {this.renderRole()}
            {model.error && (
              <p className="jp-Dataplane-notice jp-Dataplane-error">
                Could not load data: {model.error}
              </p>
            )}
          </>
        )}
      </>
    );
  }

  /** In shared mode: who the server takes the user for, and their role in the project. */
  private renderRole(): JSX.Element | null {
    const model = this.model;
    const label = roleLabel(model.access, model.user, model.role);
    if (label === null) {
      return null;
    }
    const role = model.role ?? 'none';
    const may = {
      viewer: 'you may read its datasets, statistics and runs, not change them',
      editor: 'you may import, run, export and delete; connectors are the owners\'',
      owner: 'you may do everything, including members and connectors',
      none: 'you are not a member'
    }[role];
    return (
      <div className="jp-Dataplane-roleRow">
        <span
          className={`jp-Dataplane-role jp-mod-${role}`}
          title={`Signed in as ${model.user}; your role in project '${model.currentProject}': ${model.role ?? 'none'} (${may})`}
        >
          {label}
        </span>
        {role === 'viewer' && <span className="jp-Dataplane-roleNote">read only</span>}
      </div>
    );
  }

  private renderPicker(): JSX.Element {
    const model = this.model;
    return (
      <label className="jp-Dataplane-project">
        <span>Project</span>
        <HTMLSelect
          className="jp-Dataplane-projectSelect"
          value={model.currentProject ?? ''}
          onChange={event => void model.setCurrentProject(event.target.value)}
          options={model.projects.map(project => ({
            label: project.name,
            value: project.name
          }))}
        />
      </label>
    );
  }
}
