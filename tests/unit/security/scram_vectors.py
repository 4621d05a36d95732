#!/usr/bin/env python3
"""Computes the SCRAM vectors of scram_test.cc independently of Strata's code
(Python's hashlib and hmac), and prints them as C++ constants. Run it to
check or regenerate: python3 tests/unit/security/scram_vectors.py"""
import base64, hashlib, hmac

def exchange(hash_name, user, password, salt, iterations, cnonce, snonce):
    h = lambda d: hashlib.new(hash_name, d).digest()
    mac = lambda k, d: hmac.new(k, d, hash_name).digest()
    salted = hashlib.pbkdf2_hmac(hash_name, password.encode(), salt, iterations)
    client_key = mac(salted, b"Client Key")
    stored_key = h(client_key)
    server_key = mac(salted, b"Server Key")
    bare = f"n={user},r={cnonce}"
    server_first = f"r={cnonce}{snonce},s={base64.b64encode(salt).decode()},i={iterations}"
    final_wo_proof = f"c=biws,r={cnonce}{snonce}"
    am = f"{bare},{server_first},{final_wo_proof}".encode()
    proof = bytes(a ^ b for a, b in zip(client_key, mac(stored_key, am)))
    return dict(stored_key=base64.b64encode(stored_key).decode(),
                server_key=base64.b64encode(server_key).decode(),
                client_first="n,," + bare, server_first=server_first,
                client_final=final_wo_proof + ",p=" + base64.b64encode(proof).decode(),
                server_final="v=" + base64.b64encode(mac(server_key, am)).decode())

for name, args in {
    "k256": ("sha256", "user", "pencil", base64.b64decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096,
             "rOprNGfwEbeRWgbNEkqO", "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0"),
    "k512": ("sha512", "alice", "s3cr3t-Pa55", b"strata-salt-0123456789abcdef", 8192,
             "clientNonce512", "serverNonce512xyz"),
}.items():
    for key, value in exchange(*args).items():
        print(f'constexpr std::string_view {name}_{key} = "{value}";')
