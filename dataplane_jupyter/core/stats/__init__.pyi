from .accumulate import StatsAccumulator as StatsAccumulator
from .compute import compute_statistics as compute_statistics
from .metadata import first_figures as first_figures
