# Attune: `make run` starts the workbench, `make test` runs the whole test suite.
# Both install the Debian packages Attune needs when they are missing.

APT_PACKAGES := libopenblas-dev libpng-dev libsixel-dev libsixel-bin libncurses-dev zlib1g-dev pkg-config tmux
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SWIFT_TEST_FLAGS ?= --parallel

.PHONY: deps build run test bench clean

deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing:" $$missing; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	swift build -c release

# The workbench on the embedded model with the demo session; `make run ARGS=...` runs anything else.
ARGS ?= --session Samples/demo.toml

run: build
	.build/release/attune $(ARGS)

test: deps
	swift build --build-tests
	# The quality tests run the embedded model on both cores for about two minutes; they go after the rest,
	# whose terminal and timing tests would otherwise wait behind them.
	swift test $(SWIFT_TEST_FLAGS) --skip AttuneQualityTests
	swift test --filter AttuneQualityTests

bench: build
	.build/release/attune bench ops

clean:
	rm -rf .build
