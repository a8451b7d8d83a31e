-- Wrong user codes at /device are counted by the sign-in defence
-- (core/throttle.c, scope user_code) like every other secret a person
-- types; the device grant's own counters go.
DROP TABLE device_code_guesses;
