"""The client side of Key Protect's secure import, shared by the Python SDK scripts.

An import token carries `payload` (base64 of a PEM SubjectPublicKeyInfo RSA key) and `nonce`
(base64 of raw bytes). The key material is RSA-OAEP-SHA-256-encrypted to the public key, and the
nonce is AES-GCM-sealed with the key material itself (ciphertext followed by the 16-byte tag).
"""

import base64
import os

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def b64(data):
    return base64.b64encode(data).decode()


def public_key(token):
    pem = base64.b64decode(token["payload"])
    assert pem.startswith(b"-----BEGIN PUBLIC KEY-----"), pem[:40]
    return serialization.load_pem_public_key(pem)


def import_fields(token, material, nonce=None):
    """The four fields of a securely imported key; `nonce` overrides the token's (to forge one)."""
    nonce = base64.b64decode(token["nonce"]) if nonce is None else nonce
    iv = os.urandom(12)
    sealed = AESGCM(material).encrypt(iv, nonce, None)
    oaep = padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None)
    return {
        "payload": b64(public_key(token).encrypt(material, oaep)),
        "encryptedNonce": b64(sealed),
        "iv": b64(iv),
        "encryptionAlgorithm": "RSAES_OAEP_SHA_256",
    }
