# cinebot: CPU-only image. Same install steps as the Makefile (requirements/torch.txt first).
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
COPY requirements/torch.txt requirements/torch.txt
RUN pip install --index-url https://download.pytorch.org/whl/cpu -r requirements/torch.txt
COPY pyproject.toml README.md ./
COPY index/ index/
COPY config/ config/
COPY bot/ bot/
# The project itself (its requirements are bounded in pyproject.toml), with the Qdrant store
# for compose.yaml's server deployment.
# hadolint ignore=DL3013
RUN pip install ".[qdrant]"

FROM python:3.11-slim
# (TOKENIZERS_PARALLELISM is set by cinebot itself when it loads the model.)
ENV PATH=/opt/venv/bin:$PATH HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 CINEBOT_INDEX_DIR=/data/index
COPY --from=build /opt/venv /opt/venv
RUN useradd --create-home --uid 10001 cinebot && mkdir -p /data/index && chown cinebot /data/index
USER 10001
WORKDIR /home/cinebot
# The model's ONNX export, made at build time so that a container answers from its first second.
RUN cinebot model
VOLUME ["/data/index"]
HEALTHCHECK --interval=60s --timeout=10s CMD ["cinebot", "stats", "--json"]
ENTRYPOINT ["cinebot"]
CMD ["run"]
