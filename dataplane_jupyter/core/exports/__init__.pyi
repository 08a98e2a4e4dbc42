from .exporters import Exporter as Exporter
from .exporters import Exporters as Exporters
from .runs import ExportRun as ExportRun
