/* The speed limit haaudit's reader is measured against: libyaml parsing every file into events,
 * and doing nothing with them. Usage: yaml-event-scan < FILE-LIST (one path a line); prints
 * files, bytes, events. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

int main(void) {
    long long bytes = 0, events = 0;
    int files = 0;
    char path[4096];
    while (fgets(path, sizeof path, stdin)) {
        path[strcspn(path, "\n")] = 0;
        FILE *file = fopen(path, "rb");
        if (!file) continue;
        fseek(file, 0, SEEK_END);
        long size = ftell(file);
        fseek(file, 0, SEEK_SET);
        unsigned char *buffer = malloc(size > 0 ? size : 1);
        size_t read = fread(buffer, 1, size, file);
        fclose(file);
        yaml_parser_t parser;
        yaml_event_t event;
        yaml_parser_initialize(&parser);
        yaml_parser_set_input_string(&parser, buffer, read);
        for (;;) {
            if (!yaml_parser_parse(&parser, &event)) break;
            int done = event.type == YAML_STREAM_END_EVENT;
            yaml_event_delete(&event);
            events++;
            if (done) break;
        }
        yaml_parser_delete(&parser);
        free(buffer);
        bytes += read;
        files++;
    }
    printf("%d files, %lld bytes, %lld events\n", files, bytes, events);
    return 0;
}
