import * as React from 'react';

import { IField } from '../types';
import { Labelled } from './common';
import { FieldValue, FieldValues, fieldLabel } from './fields';

/** Props of `FieldInputs`. */
export interface IFieldInputsProps {
  fields: readonly IField[];
  values: FieldValues;
  onChange: (name: string, value: FieldValue) => void;
  /** Secret fields the server holds a value for: empty means "keep it". */
  kept?: readonly string[];
}

/** One labelled input per field description, in the server's order. */
export function FieldInputs(props: IFieldInputsProps): JSX.Element {
  return (
    <>
      {props.fields.map(field => (
        <FieldRow
          key={field.name}
          field={field}
          value={props.values[field.name] ?? ''}
          kept={props.kept?.includes(field.name) ?? false}
          onChange={value => props.onChange(field.name, value)}
        />
      ))}
    </>
  );
}

interface IFieldRowProps {
  field: IField;
  value: FieldValue;
  kept: boolean;
  onChange: (value: FieldValue) => void;
}

function FieldRow(props: IFieldRowProps): JSX.Element {
  const { field } = props;
  if (field.kind === 'bool') {
    return (
      <label className="jp-Dataplane-field jp-Dataplane-checkField" title={field.description}>
        <input
          type="checkbox"
          name={field.name}
          checked={props.value === true}
          onChange={event => props.onChange(event.target.checked)}
        />
        <span>{fieldLabel(field.name)}</span>
      </label>
    );
  }
  return (
    <Labelled
      label={
        <>
          {fieldLabel(field.name)}
          {field.required && <span className="jp-Dataplane-required"> *</span>}
        </>
      }
      help={field.description}
    >
      <FieldControl {...props} />
    </Labelled>
  );
}

function FieldControl(props: IFieldRowProps): JSX.Element {
  const { field, kept } = props;
  const placeholder = kept ? 'saved: leave empty to keep it' : '';
  // Secrets are uncontrolled: a controlled input would copy the typed value into the DOM's
  // `value` attribute. The parent remounts the inputs (a new `key`) to reset them.
  const value = field.secret
    ? { defaultValue: '' }
    : { value: String(props.value) };
  if (field.kind === 'file') {
    return <FileControl {...props} />;
  }
  const choices = field.choices ?? [];
  if (choices.length > 0 && !field.secret) {
    // A dropdown of the usual values; a saved value that is not among them stays offered.
    const current = String(props.value);
    const options = choices.some(choice => choice.value === current) || current === ''
      ? choices
      : [...choices, { value: current, label: current }];
    return (
      <select
        className="jp-mod-styled"
        name={field.name}
        value={current || choices[0].value}
        onChange={event => props.onChange(event.target.value)}
      >
        {options.map(choice => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
    );
  }
  if (field.kind === 'text') {
    return (
      <textarea
        className="jp-mod-styled"
        name={field.name}
        rows={field.secret ? 4 : 3}
        spellCheck={false}
        autoComplete="off"
        placeholder={placeholder}
        {...value}
        onChange={event => props.onChange(event.target.value)}
      />
    );
  }
  return (
    <input
      className="jp-mod-styled"
      name={field.name}
      type={field.secret ? 'password' : 'text'}
      inputMode={field.kind === 'int' ? 'numeric' : undefined}
      autoComplete={field.secret ? 'new-password' : 'off'}
      spellCheck={false}
      placeholder={placeholder}
      {...value}
      onChange={event => props.onChange(event.target.value)}
    />
  );
}

/** A file whose text becomes the value (e.g. a service-account key); never shown back. */
function FileControl(props: IFieldRowProps): JSX.Element {
  const [loaded, setLoaded] = React.useState<string | null>(null);
  const read = async (file: File | undefined): Promise<void> => {
    if (!file) {
      return;
    }
    props.onChange(await file.text());
    setLoaded(file.name);
  };
  const status = loaded
    ? `${loaded} loaded`
    : props.kept
      ? 'saved: choose a file to replace it'
      : 'no file chosen';
  return (
    <span className="jp-Dataplane-fileField">
      <input
        type="file"
        name={props.field.name}
        accept=".json,application/json"
        onChange={event => void read(event.target.files?.[0])}
      />
      <span className="jp-Dataplane-fieldHelp">{status}</span>
    </span>
  );
}
