from .datasets import Dataset as Dataset
from .datasets import Datasets as Datasets
from .paths import DATA_FILE as DATA_FILE
from .paths import dataset_folder as dataset_folder
