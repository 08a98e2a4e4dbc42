from .sources import Connector as Connector
from .sources import Connectors as Connectors
from .sources import Datasource as Datasource
from .sources import Datasources as Datasources
