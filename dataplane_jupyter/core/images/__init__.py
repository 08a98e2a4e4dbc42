"""Images and tensors made ready for a model (issue #17).

- `features`: per-column Transformation / Color mode options, their defaults and versions;
- `transform`: applying them to one image with Pillow;
- `tensors`: fixed-size float32 arrays out of image and tensor columns (`to_numpy`, `iter_batches`);
- `remote`: gs:// and s3:// images fetched through the project's connectors or anonymously;
- `previews`: original vs transformed thumbnails, tensor views by dimension;
- `npy_files`: several .npy files imported as one dataset.
"""
