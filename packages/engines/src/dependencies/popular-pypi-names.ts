/**
 * About 300 of the most downloaded PyPI projects (curated from the public top-PyPI-packages rankings, 2024-2025),
 * the reference set for typosquat detection on PyPI. PEP 503 normalized.
 */
const names = `
boto3 botocore urllib3 requests setuptools certifi charset-normalizer idna typing-extensions python-dateutil
s3transfer packaging aiobotocore six numpy s3fs fsspec pyyaml grpcio-status pip cryptography pydantic cffi
attrs google-api-core pycparser pandas importlib-metadata jmespath rsa pyasn1 protobuf zipp click pluggy
platformdirs wheel jinja2 pytz markupsafe colorama filelock pydantic-core pyjwt virtualenv tomli
googleapis-common-protos pytest wrapt jsonschema cachetools pyasn1-modules annotated-types iniconfig
sqlalchemy aiohttp google-auth psutil pyarrow tzdata multidict yarl frozenlist aiosignal exceptiongroup
scipy pygments pyparsing soupsieve beautifulsoup4 greenlet requests-oauthlib oauthlib docutils tomlkit
decorator isodate async-timeout h11 anyio sniffio httpx httpcore grpcio pillow openpyxl et-xmlfile
distlib lxml werkzeug flask itsdangerous blinker more-itertools tqdm rich markdown-it-py mdurl
websocket-client coverage pytest-cov mock requests-toolbelt starlette fastapi uvicorn gunicorn
matplotlib kiwisolver cycler fonttools contourpy scikit-learn joblib threadpoolctl networkx sympy mpmath
regex tabulate pexpect ptyprocess prompt-toolkit wcwidth traitlets ipython jedi parso matplotlib-inline
asttokens executing stack-data pure-eval ipykernel jupyter-client jupyter-core tornado pyzmq nest-asyncio
debugpy comm notebook jupyterlab nbformat nbconvert nbclient mistune bleach webencodings tinycss2
defusedxml pandocfilters jupyterlab-server jupyter-server terminado argon2-cffi send2trash prometheus-client
babel json5 fastjsonschema referencing rpds-py jsonschema-specifications pyopenssl google-cloud-storage
google-cloud-core google-resumable-media google-crc32c azure-core azure-storage-blob msal portalocker
redis celery kombu billiard vine amqp django djangorestframework asgiref sqlparse psycopg2 psycopg2-binary
psycopg pymysql mysqlclient alembic mako marshmallow python-dotenv pyjwt bcrypt paramiko pynacl
black mypy mypy-extensions pathspec isort flake8 pycodestyle pyflakes mccabe pylint astroid tomli-w
ruff pre-commit identify cfgv nodeenv tox sphinx alabaster imagesize snowballstemmer
pytest-mock pytest-asyncio pytest-xdist execnet hypothesis sortedcontainers faker factory-boy freezegun
responses httplib2 uritemplate google-api-python-client google-auth-httplib2 oauth2client
torch torchvision torchaudio tensorflow keras tensorboard transformers tokenizers huggingface-hub
safetensors datasets accelerate sentencepiece openai tiktoken anthropic langchain langchain-core
langchain-community langsmith numba llvmlite xgboost lightgbm catboost opencv-python opencv-python-headless
scikit-image imageio tifffile seaborn plotly dash bokeh altair statsmodels patsy polars duckdb
xlrd xlsxwriter python-docx pypdf pdfminer-six reportlab selenium playwright scrapy twisted
pyserial pyusb paho-mqtt pika kafka-python confluent-kafka elasticsearch pymongo motor
sentry-sdk structlog loguru python-json-logger pyinstaller cython setuptools-scm hatchling poetry poetry-core
flit-core build twine keyring jaraco-classes secretstorage jeepney pkginfo readme-renderer
requests-file pysocks websockets aiofiles orjson ujson simplejson msgpack cloudpickle dill
pendulum arrow humanize python-slugify text-unidecode unidecode emoji chardet ftfy nltk spacy gensim
jellyfish rapidfuzz levenshtein python-levenshtein thefuzz fuzzywuzzy xmltodict pydantic-settings
typer shellingham inflection inflect jsonpointer jsonpatch toolz cytoolz boltons attrs cattrs
boto awscli docker kubernetes ansible ansible-core pywin32 pywin32-ctypes azure-identity
google-cloud-bigquery google-cloud-pubsub pyspark py4j great-expectations dbt-core apache-airflow
streamlit gradio pycryptodome pycryptodomex passlib itsdangerous python-jose ecdsa python-multipart
email-validator dnspython flask-sqlalchemy flask-cors flask-login flask-wtf wtforms jinja2-time
mkdocs mkdocs-material markdown pymdown-extensions ply pycairo pygobject shapely geopandas pyproj fiona
parse schedule h5py tables netcdf4 xarray dask distributed zict tblib locket partd bokeh mlflow wandb optuna
`;

/** The set of popular PyPI names, normalized. */
export const popularPypiNames: readonly string[] = [...new Set(names.split(/\s+/).filter(Boolean))];
