import * as React from 'react';

import { IConnectorKind } from '../types';
import { SelectRow } from './common';
import { FieldInputs } from './fieldInputs';
import {
  FieldValue,
  FieldValues,
  ILocatorMode,
  LocatorPurpose,
  locatorModes,
  modeFields
} from './fields';

/** Props of `LocatorInputs`. */
export interface ILocatorInputsProps {
  kind: IConnectorKind;
  purpose: LocatorPurpose;
  mode: ILocatorMode;
  values: FieldValues;
  onMode: (mode: ILocatorMode) => void;
  onChange: (name: string, value: FieldValue) => void;
}

/** Where the data is: the way to point at it (when the kind has several), then its fields. */
export function LocatorInputs(props: ILocatorInputsProps): JSX.Element {
  const modes = locatorModes(props.kind, props.purpose);
  return (
    <>
      {modes.length > 1 && (
        <SelectRow
          label={props.purpose === 'datasource' ? 'Read from' : 'Write to'}
          name="locator-mode"
          value={props.mode.id}
          options={modes.map(mode => ({ label: mode.label, value: mode.id }))}
          onChange={id => props.onMode(modes.find(mode => mode.id === id) ?? modes[0])}
        />
      )}
      <FieldInputs
        fields={modeFields(props.kind, props.mode, props.purpose)}
        values={props.values}
        onChange={props.onChange}
      />
    </>
  );
}
