# The reference mock as a container: a static acsconform binary on an empty
# base image, the embedded contract and mock profile inside it.
#
# The binary is built on the host (make image does both steps), so building
# the image pulls nothing:
#   CGO_ENABLED=0 go build -o bin/image/acsconform ./cmd/acsconform
#   podman build -t acsconform-mock -f Dockerfile bin/image
#   podman run --rm -p 127.0.0.1:8080:8080 acsconform-mock
# Arguments after the image name replace the default ones, e.g.
#   podman run --rm -p 127.0.0.1:8080:8080 acsconform-mock mock --listen 0.0.0.0:8080 --admin --admin-on-network --enforce-rate-limit
FROM scratch
COPY acsconform /acsconform
EXPOSE 8080
USER 65534:65534
ENTRYPOINT ["/acsconform"]
CMD ["mock", "--listen", "0.0.0.0:8080"]
