import { MainAreaWidget } from '@jupyterlab/apputils';
import {
  HTMLSelect,
  closeIcon,
  imageIcon
} from '@jupyterlab/ui-components';
import * as React from 'react';

import { DataplaneClient } from '../client';
import { formatBytes } from '../details/format';
import { errorMessage, notifyError } from '../notifications';
import { categoryLabel, plural } from '../sections/imageFolders';
import { IImage, IImageFolder } from '../types';
import { OwningWidget } from '../view';
import { BlobURLCache } from './blobCache';
import { ImageFeatures } from '../details/features';

/** Images fetched per page of the grid. */
const PAGE_SIZE = 120;

/**
 * A main-area tab with the thumbnails of one image folder: filter by category, load more,
 * click a thumbnail for the full image with its facts (arrows step through, Escape closes).
 */
export class ImageFolderViewer extends MainAreaWidget<ImageGrid> {
  /**
   * @param client REST client of the page's server
   * @param project project of the folder
   * @param folder the folder, ready
   */
  constructor(client: DataplaneClient, project: string, folder: IImageFolder) {
    const content = new ImageGrid(client, project, folder);
    super({ content });
    this.id = `dataplane-image-folder-${folder.id}`;
    this.addClass('jp-Dataplane-imageFolderViewer');
    this.title.icon = imageIcon;
    this.title.closable = true;
    this.folderId = folder.id;
    this.project = project;
    this.showFolder(folder);
  }

  /** Id of the folder shown. */
  readonly folderId: string;

  /** Project of the folder shown. */
  readonly project: string;

  /** Show the folder's latest name (after a rename). */
  showFolder(folder: IImageFolder): void {
    this.title.label = folder.name;
    this.title.caption = `Image folder ${folder.name}: ${plural(folder.n_images ?? 0, 'image')}`;
  }
}

/** The grid itself; its thumbnails are object URLs, revoked when it is disposed. */
export class ImageGrid extends OwningWidget {
  /**
   * @param client REST client of the page's server
   * @param project project of the folder
   * @param folder the folder, ready
   */
  constructor(
    private readonly client: DataplaneClient,
    private readonly project: string,
    private readonly folder: IImageFolder
  ) {
    super();
    this.addClass('jp-Dataplane-imageGrid');
    // the thumbnails' object URLs are revoked with the grid
    this._thumbnails = this.own(
      new BlobURLCache(path => client.fetchImage(project, folder.id, path, 'thumbnail'))
    );
  }

  /** The grid's React tree. */
  render(): JSX.Element {
    return (
      <GridView
        client={this.client}
        project={this.project}
        folder={this.folder}
        thumbnails={this._thumbnails}
      />
    );
  }

  private _thumbnails: BlobURLCache;
}

interface IGridProps {
  client: DataplaneClient;
  project: string;
  folder: IImageFolder;
  thumbnails: BlobURLCache;
}

function GridView(props: IGridProps): JSX.Element {
  const { client, project, folder } = props;
  const [category, setCategory] = React.useState<string | null>(null);
  const [images, setImages] = React.useState<IImage[]>([]);
  const [total, setTotal] = React.useState(0);
  const [loading, setLoading] = React.useState(true);
  const [error, setError] = React.useState<string | null>(null);
  const [selected, setSelected] = React.useState<number | null>(null);
  // Answers for a category the user has since left are dropped.
  const generation = React.useRef(0);

  const load = React.useCallback(
    async (offset: number, isCurrent: () => boolean) => {
      setLoading(true);
      try {
        const page = await client.listImages(project, folder.id, {
          category: category ?? undefined,
          offset,
          limit: PAGE_SIZE
        });
        if (isCurrent()) {
          setImages(shown => (offset === 0 ? page.images : [...shown, ...page.images]));
          setTotal(page.total);
          setError(null);
        }
      } catch (reason) {
        if (isCurrent()) {
          setError(errorMessage(reason));
          notifyError(`Could not list the images of ${folder.name}`, reason);
        }
      } finally {
        if (isCurrent()) {
          setLoading(false);
        }
      }
    },
    [client, project, folder.id, folder.name, category]
  );

  React.useEffect(() => {
    const mine = ++generation.current;
    setImages([]);
    setSelected(null);
    void load(0, () => mine === generation.current);
    return () => {
      generation.current++;
    };
  }, [load]);

  const loadMore = () => {
    const mine = generation.current;
    void load(images.length, () => mine === generation.current);
  };

  const categories = Object.entries(folder.categories ?? {});
  return (
    <div className="jp-Dataplane-imageGridView">
      <div className="jp-Dataplane-imageGridBar">
        <label className="jp-Dataplane-imageGridFilter">
          <span>Category</span>
          <HTMLSelect
            className="jp-Dataplane-categorySelect"
            value={category ?? '\u0000all'}
            onChange={event =>
              setCategory(event.target.value === '\u0000all' ? null : event.target.value)
            }
            options={[
              {
                label: `All (${(folder.n_images ?? 0).toLocaleString()})`,
                value: '\u0000all'
              },
              ...categories.map(([name, count]) => ({
                label: `${categoryLabel(name)} (${count.toLocaleString()})`,
                value: name
              }))
            ]}
          />
        </label>
        <span className="jp-Dataplane-imageGridCount">
          {loading && images.length === 0
            ? 'Loading…'
            : `${images.length.toLocaleString()} of ${plural(total, 'image')}`}
        </span>
      </div>
      {error && <p className="jp-Dataplane-notice jp-Dataplane-error">{error}</p>}
      <FolderFeatures client={client} project={project} folder={folder} />
      <ul className="jp-Dataplane-thumbnails">
        {images.map((image, index) => (
          <li key={image.path} className="jp-Dataplane-thumbnail" data-path={image.path}>
            <button
              onClick={() => setSelected(index)}
              title={`${image.path}\n${image.width} × ${image.height} ${image.format}`}
            >
              <Thumbnail cache={props.thumbnails} image={image} />
              <span className="jp-Dataplane-thumbnailName">{baseName(image.path)}</span>
            </button>
          </li>
        ))}
      </ul>
      {images.length < total && (
        <button
          className="jp-mod-styled jp-Dataplane-loadMore"
          disabled={loading}
          onClick={loadMore}
        >
          {loading ? 'Loading…' : `Show ${Math.min(PAGE_SIZE, total - images.length)} more`}
        </button>
      )}
      {selected !== null && selected < images.length && (
        <FullImage
          client={client}
          project={project}
          folder={folder}
          image={images[selected]}
          position={`${selected + 1} / ${images.length}`}
          onStep={step =>
            setSelected(index =>
              index === null ? null : (index + step + images.length) % images.length
            )
          }
          onClose={() => setSelected(null)}
        />
      )}
    </div>
  );
}

/** The folder's feature options, with original vs transformed thumbnails, once opened. */
function FolderFeatures(props: {
  client: DataplaneClient;
  project: string;
  folder: IImageFolder;
}): JSX.Element {
  const [open, setOpen] = React.useState(false);
  const owner = React.useMemo(() => ({ id: props.folder.id, column: null }), [props.folder.id]);
  return (
    <details
      className="jp-Dataplane-folderFeatures"
      onToggle={event => setOpen((event.target as HTMLDetailsElement).open)}
    >
      <summary>Feature options: transformation and color mode for models</summary>
      {open && <ImageFeatures client={props.client} project={props.project} owner={owner} />}
    </details>
  );
}

function Thumbnail(props: { cache: BlobURLCache; image: IImage }): JSX.Element {
  const { cache, image } = props;
  const [url, setUrl] = React.useState<string | null>(null);
  const [failed, setFailed] = React.useState(false);
  React.useEffect(() => {
    let current = true;
    cache.get(image.path).then(
      value => current && setUrl(value),
      () => current && setFailed(true)
    );
    return () => {
      current = false;
    };
  }, [cache, image.path]);
  if (url === null) {
    return (
      <span
        className={`jp-Dataplane-thumbnailImage jp-Dataplane-thumbnailPending${
          failed ? ' jp-mod-failed' : ''
        }`}
      >
        {failed ? 'No preview' : ''}
      </span>
    );
  }
  return <img className="jp-Dataplane-thumbnailImage" src={url} alt={image.path} />;
}

function FullImage(props: {
  client: DataplaneClient;
  project: string;
  folder: IImageFolder;
  image: IImage;
  position: string;
  onStep: (step: number) => void;
  onClose: () => void;
}): JSX.Element {
  const { client, project, folder, image } = props;
  const [url, setUrl] = React.useState<string | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const overlay = React.useRef<HTMLDivElement>(null);

  React.useEffect(() => overlay.current?.focus(), []);
  React.useEffect(() => {
    let current = true;
    let objectUrl: string | null = null;
    setUrl(null);
    setError(null);
    client.fetchImage(project, folder.id, image.path, 'image').then(
      blob => {
        if (current) {
          objectUrl = URL.createObjectURL(blob);
          setUrl(objectUrl);
        }
      },
      reason => current && setError(errorMessage(reason))
    );
    return () => {
      current = false;
      if (objectUrl !== null) {
        URL.revokeObjectURL(objectUrl);
      }
    };
  }, [client, project, folder.id, image.path]);

  const onKeyDown = (event: React.KeyboardEvent) => {
    const steps: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1 };
    if (event.key === 'Escape') {
      props.onClose();
    } else if (event.key in steps) {
      props.onStep(steps[event.key]);
    } else {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
  };

  return (
    <div
      className="jp-Dataplane-fullImage"
      ref={overlay}
      tabIndex={-1}
      onKeyDown={onKeyDown}
      onClick={event => event.target === event.currentTarget && props.onClose()}
    >
      <figure className="jp-Dataplane-fullImageFigure">
        <div className="jp-Dataplane-fullImageBar">
          <button
            className="jp-mod-styled"
            onClick={() => props.onStep(-1)}
            aria-label="Previous image"
          >
            ‹
          </button>
          <span>{props.position}</span>
          <button
            className="jp-mod-styled"
            onClick={() => props.onStep(1)}
            aria-label="Next image"
          >
            ›
          </button>
          <button
            className="jp-Dataplane-iconButton jp-Dataplane-fullImageClose"
            onClick={props.onClose}
            aria-label="Close"
            title="Close (Escape)"
          >
            <closeIcon.react tag="span" />
          </button>
        </div>
        <div className="jp-Dataplane-fullImageFrame">
          {error ? (
            <p className="jp-Dataplane-notice jp-Dataplane-error">{error}</p>
          ) : url ? (
            <img src={url} alt={image.path} />
          ) : (
            <p className="jp-Dataplane-empty">Loading…</p>
          )}
        </div>
        <figcaption>
          <strong>{image.path}</strong>
          <span>{categoryLabel(image.category)}</span>
          <span>
            {image.width} × {image.height}
          </span>
          <span>
            {image.format} {image.mode}
          </span>
          <span>{formatBytes(image.size_bytes)}</span>
        </figcaption>
      </figure>
    </div>
  );
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
