from .embeddings import load_embeddings as load_embeddings
from .embeddings import neighbors as neighbors
from .embeddings import save_selection as save_selection
from .embeddings import start_embeddings as start_embeddings
from .views import embedding_map as embedding_map
from .views import neighbor_records as neighbor_records
